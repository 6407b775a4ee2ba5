package vn.gocua.app

import android.app.job.JobInfo
import android.app.job.JobParameters
import android.app.job.JobScheduler
import android.app.job.JobService
import android.content.ComponentName
import android.content.Context
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import vn.gocua.app.logic.SyncPolicy
import vn.gocua.core.GocuaException
import vn.gocua.core.SyncCancellation
import vn.gocua.core.SyncScreen

/**
 * Automatic sync when connectivity returns: a periodic JobScheduler job that needs a network,
 * persisted across reboots, and a one-off job asked for when the volunteer leaves a screen. Every
 * run syncs both ways through the core's SyncScreen (pushes what is pending, pulls the others'
 * edits and erasures), and is retried with back-off when it could not finish. Asking again never stops a running sync
 * (rescheduling a job id cancels its running job): see [SyncPolicy].
 */
class SyncJobService : JobService() {
    @Volatile private var cancel: SyncCancellation? = null

    override fun onStartJob(params: JobParameters): Boolean {
        val app = application as GocuaApp
        if (!app.enrolled) return false
        val c = SyncCancellation()
        cancel = c
        running.incrementAndGet()
        app.syncing.execute {
            var retry = false
            try {
                // Always, through the core's sync screen: a register with nothing pending still
                // pulls what others changed. A failed sync is the view's headline, not an exception.
                val view = SyncScreen(app.register()).use { it.sync(null, c) }
                retry = view.retryLater // the core says whether the failure may pass by itself
            } catch (e: GocuaException.KeyStore) {
                retry = true // the key waits for the screen lock (AppLock): later, after an unlock
            } catch (e: GocuaException) {
                retry = false // the register cannot be opened: the sync screen says why
            } finally {
                cancel = null
                running.decrementAndGet()
                jobFinished(params, retry)
                if (askedWhileRunning.getAndSet(false)) soon(app)
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

        /** Sync jobs of this process running now (the periodic and the one-off may overlap). */
        private val running = AtomicInteger(0)
        private val askedWhileRunning = AtomicBoolean(false)

        private fun scheduler(context: Context) = context.getSystemService(Context.JOB_SCHEDULER_SERVICE) as JobScheduler

        private fun pending(context: Context, id: Int) = scheduler(context).allPendingJobs.any { it.id == id }

        /**
         * A one-off sync as soon as there is a network. Never replaces a scheduled or running one
         * (that would stop it): while one runs, it is asked again when that one ends.
         */
        fun soon(context: Context) {
            when (SyncPolicy.onAsk(scheduled = pending(context, SOON_ID), running = running.get() > 0)) {
                SyncPolicy.Ask.ALREADY_SCHEDULED -> return
                SyncPolicy.Ask.AFTER_RUNNING -> { askedWhileRunning.set(true); return }
                SyncPolicy.Ask.SCHEDULE -> Unit
            }
            scheduler(context).schedule(
                JobInfo.Builder(SOON_ID, ComponentName(context, SyncJobService::class.java))
                    .setRequiredNetworkType(JobInfo.NETWORK_TYPE_ANY)
                    .setBackoffCriteria(30_000L, JobInfo.BACKOFF_POLICY_EXPONENTIAL)
                    .build(),
            )
        }

        /** The periodic sync (every 30 min with a network); left alone when already scheduled. */
        fun schedule(context: Context) {
            if (pending(context, JOB_ID)) return
            val job = JobInfo.Builder(JOB_ID, ComponentName(context, SyncJobService::class.java))
                .setRequiredNetworkType(JobInfo.NETWORK_TYPE_ANY)
                .setPersisted(true)
                .setPeriodic(30 * 60 * 1000L)
                .setBackoffCriteria(60_000L, JobInfo.BACKOFF_POLICY_EXPONENTIAL)
                .build()
            scheduler(context).schedule(job)
        }
    }
}
