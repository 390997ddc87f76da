package dev.eventrelay.support;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that starts the service, a server (SFTP, Kafka, an HTTP receiver), a child process, or uses PostgreSQL or
 * RabbitMQ: {@code bin/test} runs it, {@code bin/test fast} leaves it out (JUnit tag {@value #TAG}). Subclasses
 * inherit it, so the flow tests' base classes carry it for them. A fast run that starts a server anyway fails
 * ({@link FastRun#refuse}), naming the test to tag.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(Slow.TAG)
public @interface Slow {

    String TAG = "slow";
}
