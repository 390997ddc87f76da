package dev.eventrelay.settings;

import org.quartz.CronExpression;

import java.text.ParseException;

/** Checks the Quartz cron expressions of schedules, with Quartz's own reason when one does not parse. */
public final class CronSchedules {

    private CronSchedules() {
    }

    /** Adds a problem naming {@code key} when {@code schedule} is not a Quartz cron expression. */
    public static void check(PropertyReader p, String key, String schedule, String example) {
        try {
            new CronExpression(schedule);
        } catch (ParseException | RuntimeException e) {
            p.problem(key, "'" + schedule + "' is not a Quartz cron expression (" + e.getMessage() + "); write"
                    + " seconds minutes hours day-of-month month day-of-week, with ? in one of the day fields,"
                    + " e.g. " + example);
        }
    }
}
