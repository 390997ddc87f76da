package dev.eventrelay.delivery;

/**
 * How fast a hook may send: {@code eventsPerSecond} events and, for http, {@code requestsPerSecond} requests per
 * second (0 = no limit), and for http how many batches may be in flight at once ({@code inFlight}, 1 = one at a
 * time), their events split by profile key so one profile's events keep their order.
 */
public record DeliveryLimits(int eventsPerSecond, int requestsPerSecond, int inFlight) {

    public static final DeliveryLimits NONE = new DeliveryLimits(0, 0, 1);
}
