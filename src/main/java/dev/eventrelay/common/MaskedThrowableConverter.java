package dev.eventrelay.common;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** Logback's stack traces with the configuration's secrets masked ({@code %maskedEx} in logback.xml). */
public final class MaskedThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return Secrets.mask(super.throwableProxyToString(proxy));
    }
}
