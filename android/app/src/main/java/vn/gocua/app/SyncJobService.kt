package vn.gocua.app

import android.app.job.JobInfo
import android.app.job.JobParameters
import android.app.job.JobScheduler
import android.app.job.JobService
import android.content.ComponentName
import android.content.Context
import vn.gocua.core.GocuaException
import vn.gocua.core.SyncCancellation

/**
 * Automatic sync when connectivity returns: a JobScheduler job that needs a network, persisted
 * across reboots, rescheduled with back-off when the sync could not finish.
 */
class SyncJobService : JobService() {
    @Volatile private var cancel: SyncCancellation? = null

    override fun onStartJob(params: JobParameters): Boolean {
        val app = application as GocuaApp
        if (!app.enrolled) return false
        val c = SyncCancellation()
        cancel = c
        app.io.execute {
            var retry = false
            try {
                val r = app.register()
                if (r.pendingCount() > 0u) {
                    val report = r.sync(null, c)
                    retry = report.pendingAfter > 0u && report.rejected.isEmpty()
                }
            } catch (e: GocuaException.Network) {
                retry = true
            } catch (e: GocuaException) {
                retry = false // not enrolled, revoked...: the sync screen says why
            } finally {
                cancel = null
                jobFinished(params, retry)
            }
        }
        return true
    }

    override fun onStopJob(params: JobParameters): Boolean {
        cancel?.cancel()
        return true
    }

    companion object {
        private const val JOB_ID = 8801

        private const val SOON_ID = 8802

        /** A one-off sync when connectivity is (or comes) back; replaces a previous one. */
        fun soon(context: Context) {
            val scheduler = context.getSystemService(Context.JOB_SCHEDULER_SERVICE) as JobScheduler
            scheduler.schedule(
                JobInfo.Builder(SOON_ID, ComponentName(context, SyncJobService::class.java))
                    .setRequiredNetworkType(JobInfo.NETWORK_TYPE_ANY)
                    .setBackoffCriteria(30_000L, JobInfo.BACKOFF_POLICY_EXPONENTIAL)
                    .build(),
            )
        }

        fun schedule(context: Context) {
            val scheduler = context.getSystemService(Context.JOB_SCHEDULER_SERVICE) as JobScheduler
            val job = JobInfo.Builder(JOB_ID, ComponentName(context, SyncJobService::class.java))
                .setRequiredNetworkType(JobInfo.NETWORK_TYPE_ANY)
                .setPersisted(true)
                .setPeriodic(30 * 60 * 1000L)
                .setBackoffCriteria(60_000L, JobInfo.BACKOFF_POLICY_EXPONENTIAL)
                .build()
            scheduler.schedule(job)
        }
    }
}
