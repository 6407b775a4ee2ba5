package vn.gocua.app

import android.os.Bundle
import vn.gocua.app.logic.Input
import vn.gocua.app.logic.SyncUi
import vn.gocua.app.logic.Widgets
import vn.gocua.core.SyncCancellation
import vn.gocua.core.SyncScreen
import vn.gocua.core.SyncStatusView
import vn.gocua.core.SyncViewListener

/**
 * Sync: the core's SyncScreen runs the sync and says everything about it (progress, outcome,
 * what the hub refused and why, what is still waiting); this screen draws each view it reports,
 * handed from the syncing thread to the UI thread. "Stop" cancels (SyncCancellation).
 */
class SyncActivity : Screen() {
    private val screen: SyncScreen get() = screenOf(KEY) { SyncScreen(app.register()) }
    private var cancel: SyncCancellation? = null

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        core({ screen.view() }) { render(it) }
    }

    private fun render(v: SyncStatusView) = show(SyncUi.page(v, caption))

    override fun on(input: Input) {
        when (input.key) {
            Widgets.ACTION + "sync" -> start()
            "cancel" -> cancel?.cancel()
            "open:bundles" -> open(BundlesActivity::class.java)
        }
    }

    private fun start() {
        val c = SyncCancellation()
        cancel = c
        val listener = object : SyncViewListener {
            // On the syncing thread: hand the view to the UI thread, never call the register here.
            override fun onView(view: SyncStatusView) { app.main.post { if (!isDestroyed) render(view) } }
        }
        core({ screen.sync(listener, c) }, on = app.syncing) { v ->
            cancel = null
            render(v)
        }
    }

    override fun onDestroy() {
        super.onDestroy()
        if (isFinishing) cancel?.cancel()
    }

    private companion object { const val KEY = "sync" }
}
