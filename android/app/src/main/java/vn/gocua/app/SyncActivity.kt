package vn.gocua.app

import android.os.Bundle
import android.widget.ProgressBar
import vn.gocua.app.logic.SyncModel
import vn.gocua.core.GocuaException
import vn.gocua.core.Phase
import vn.gocua.core.SyncCancellation
import vn.gocua.core.SyncProgress

/** Sync: a button, a progress bar while it runs, the outcome in words, rejected households and why. */
class SyncActivity : Screen() {
    private lateinit var model: SyncModel
    private var cancel: SyncCancellation? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        model = SyncModel(t)
        setScreenTitle(getString(R.string.sync_title))
        core({ app.register().pendingCount().toInt() }) { model.pending = it; render() }
    }

    override fun render() {
        clear()
        text(model.outcomeText())
        if (model.running) {
            val bar = ProgressBar(this, null, android.R.attr.progressBarStyleHorizontal)
            bar.isIndeterminate = model.indeterminate()
            bar.max = 100
            bar.progress = model.percent()
            body.addView(bar)
            action(getString(R.string.sync_cancel)) { cancel?.cancel() }
        } else {
            val rejected = model.rejectedLines()
            if (rejected.isNotEmpty()) {
                text(getString(R.string.sync_rejected), R.style.Gocua_Title)
                messages(rejected)
            }
            action(getString(R.string.sync_now), enabled = model.canStart) { start() }
        }
    }

    private fun start() {
        val c = SyncCancellation()
        cancel = c
        model.onStarted()
        render()
        val progress = object : SyncProgress {
            // On the syncing thread: hand the numbers to the UI thread, never call the register here.
            override fun onProgress(phase: Phase, done: ULong, total: ULong) {
                app.main.post { model.onProgress(phase, done.toLong(), total.toLong()); render() }
            }
        }
        app.background({ app.register().sync(progress, c) }) { r ->
            r.onSuccess { model.onFinished(it) }
                .onFailure { e -> if (e is GocuaException) model.onFailed(e) else showError(e) }
            cancel = null
            render()
        }
    }
}
