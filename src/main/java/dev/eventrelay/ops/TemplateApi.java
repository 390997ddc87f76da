package dev.eventrelay.ops;

import dev.eventrelay.mapping.EventTypes;
import dev.eventrelay.ingest.file.SftpImportConfig;
import dev.eventrelay.ingest.upload.UploadImportConfig;
import dev.eventrelay.mapping.CsvTemplate;
import dev.eventrelay.model.EventType;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/event-types/{code}/template.csv?import=} (routes/templates.camel.yaml): the header
 * row of a file of that event type, for the default SFTP layout or for the named import's required
 * columns (in the import's delimiter). See {@link CsvTemplate} for the columns.
 */
public final class TemplateApi {

    private final EventTypes eventTypes;
    private final Map<String, UploadImportConfig> imports;

    public TemplateApi(EventTypes eventTypes, Map<String, UploadImportConfig> imports) {
        this.eventTypes = eventTypes;
        this.imports = imports;
    }

    /** {@code GET /api/event-types}: every event type's code, name and template link, by code. */
    public void list(Exchange exchange) {
        List<Map<String, Object>> list = new ArrayList<>();
        new TreeMap<>(eventTypes.all()).forEach((code, type) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("code", code);
            item.put("name", type.name());
            item.put("template", "/api/event-types/" + code + "/template.csv");
            list.add(item);
        });
        HttpAnswers.json(exchange, 200, Map.of("event_types", list));
    }

    public void template(Exchange exchange) {
        String code = exchange.getMessage().getHeader("code", String.class);
        Optional<EventType> type = eventTypes.byCode(code);
        if (type.isEmpty()) {
            HttpAnswers.error(exchange, 404, "no event type has code '" + code + "' (relay.event-type." + code
                    + ".name is not set)");
            return;
        }
        String importName = exchange.getMessage().getHeader("import", String.class);
        List<String> required = SftpImportConfig.DEFAULT_REQUIRED_COLUMNS;
        char delimiter = ',';
        if (importName != null && !importName.isBlank()) {
            UploadImportConfig config = imports.get(importName);
            if (config == null) {
                HttpAnswers.error(exchange, 404, "no import is named '" + importName + "'");
                return;
            }
            required = config.requiredColumns();
            delimiter = config.delimiter();
        }
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setDelimiter(delimiter).get())) {
            csv.printRecord(CsvTemplate.header(required, type.get()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpAnswers.answer(exchange, 200, "text/csv; charset=utf-8", out.toString());
        exchange.getMessage().setHeader("Content-Disposition", "attachment; filename=\"" + code + "-template.csv\"");
    }
}
