package vn.gocua.app.logic

/**
 * The automatic sync's rules (SyncJobService), decided without a device:
 *  - every run syncs both ways: it pushes what is pending and pulls the others' edits and erasures,
 *    even when nothing is pending here;
 *  - a one-off run asked for while one is already scheduled or running is not rescheduled (that
 *    would stop the running sync): it is remembered and asked again when the running one ends;
 *  - whether a run is retried (with the job's back-off) is the core's `SyncStatusView.retryLater`.
 */
object SyncPolicy {
    enum class Ask { SCHEDULE, ALREADY_SCHEDULED, AFTER_RUNNING }

    fun onAsk(scheduled: Boolean, running: Boolean): Ask = when {
        running -> Ask.AFTER_RUNNING
        scheduled -> Ask.ALREADY_SCHEDULED
        else -> Ask.SCHEDULE
    }
}
