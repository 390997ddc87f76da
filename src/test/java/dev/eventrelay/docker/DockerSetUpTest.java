package dev.eventrelay.docker;

import dev.eventrelay.boot.ConfigCheck;
import dev.eventrelay.support.TestSftpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be tested of docker/ without a Docker engine: the docker profile passes the configuration check
 * (with its environment variables set), and compose.yaml starts the services the profile names.
 */
class DockerSetUpTest {

    private static final String PROFILE = "file:docker/application-docker.properties,file:application.properties";

    @TempDir
    Path temp;

    @Test
    void theDockerProfilePassesTheConfigurationCheckWhenItsEnvironmentIsSet() throws Exception {
        Path key = temp.resolve("sftp_client_key");
        TestSftpServer.SshKeys.generate("ed25519", key);
        Path knownHosts = Files.writeString(temp.resolve("known_hosts"), "sftp ssh-ed25519 AAAA\n");

        ConfigCheck.Report report = ConfigCheck.check(PROFILE, Map.of(
                "RELAY_API_TOKEN", "test-token",
                "RELAY_STORE_PASSWORD", "test-store-password",
                "RELAY_RABBITMQ_PASSWORD", "test-rabbitmq-password",
                "RELAY_SFTP_KEY_FILE", key.toString(),
                "RELAY_SFTP_KNOWN_HOSTS", knownHosts.toString()));

        assertThat(report.all()).isEmpty();
        assertThat(report.settings().embeddedSftp().enabled()).isFalse();
        assertThat(report.settings().store().url()).isEqualTo("jdbc:postgresql://postgres:5432/relay");
        assertThat(report.settings().imports().get("default").server().host()).isEqualTo("sftp");
        assertThat(report.settings().rabbitConnections().get("default").host()).isEqualTo("rabbitmq");
        assertThat(report.settings().hooks()).containsKeys("all-events", "rabbitmq-events", "kafka-events");
        assertThat(report.settings().hooks().get("kafka-events").endpoint()).containsEntry("brokers", "kafka:9092");
    }

    @Test
    void theDockerProfileNamesEverySecretItNeedsWhenTheEnvironmentLacksThem() {
        List<String> problems = ConfigCheck.check(PROFILE, Map.of()).all();

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("relay.api.token reads the environment"
                        + " variable RELAY_API_TOKEN, which is not set"))
                .anySatisfy(p -> assertThat(p).startsWith("relay.store.password reads the environment variable"
                        + " RELAY_STORE_PASSWORD"))
                .anySatisfy(p -> assertThat(p).startsWith("relay.rabbitmq.default.password reads the environment"
                        + " variable RELAY_RABBITMQ_PASSWORD"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeStartsTwoReplicasOfTheServiceWithEveryServerTheProfileNames() throws Exception {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("docker/compose.yaml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");

        assertThat(services).containsOnlyKeys("postgres", "rabbitmq", "kafka", "sftp", "event-relay", "event-relay-2");
        List<String> ids = new java.util.ArrayList<>();
        List<Object> ports = new java.util.ArrayList<>();
        for (String replica : List.of("event-relay", "event-relay-2")) {
            Map<String, Object> relay = (Map<String, Object>) services.get(replica);
            assertThat((Map<String, Object>) relay.get("depends_on")).as(replica).containsOnlyKeys("postgres",
                    "rabbitmq", "kafka", "sftp");
            assertThat(((Map<String, Object>) relay.get("build")).get("dockerfile")).as(replica)
                    .isEqualTo("docker/Dockerfile");
            Map<String, Object> environment = (Map<String, Object>) relay.get("environment");
            assertThat(environment).as(replica).containsOnlyKeys("RELAY_INSTANCE_ID", "RELAY_API_TOKEN",
                    "RELAY_STORE_PASSWORD", "RELAY_RABBITMQ_PASSWORD");
            ids.add((String) environment.get("RELAY_INSTANCE_ID"));
            ports.addAll((List<Object>) relay.get("ports"));
        }
        assertThat(ids).as("each replica's relay.instance.id").doesNotHaveDuplicates();
        assertThat(ports).as("each replica's host port").doesNotHaveDuplicates().hasSize(2);
        assertThat(Files.readString(Path.of("docker/application-docker.properties")))
                .as("the replicas share the Kafka backbone of the compose service kafka")
                .contains("relay.backbone.kind = kafka")
                .contains("relay.backbone.kafka.bootstrap-servers = kafka:9092");
        for (String name : services.keySet()) {
            assertThat((Map<String, Object>) services.get(name)).as(name).containsKey("healthcheck");
        }
        assertThat(Files.readString(Path.of("docker/Dockerfile")))
                .contains("COPY --from=build /build/target/event-relay.jar")
                .contains("USER relay")
                .contains("HEALTHCHECK")
                .contains("RELAY_CONFIG=file:config/application-docker.properties,file:application.properties");
    }
}
