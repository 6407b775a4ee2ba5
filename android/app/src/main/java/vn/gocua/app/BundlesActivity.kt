package vn.gocua.app

import android.content.Intent
import android.net.Uri
import android.os.Bundle
import vn.gocua.app.logic.BundlesUi
import vn.gocua.app.logic.Input
import vn.gocua.app.logic.Widgets
import vn.gocua.core.BundleScreen
import vn.gocua.core.BundlesView
import vn.gocua.core.OpenedView
import vn.gocua.core.maxBundleBytes

/**
 * Sync without coverage: the core's BundleScreen drawn as it is. "Seal" writes the core's sealed
 * file and hands it to the share sheet; "Open" picks a file (or one arrives by "open with" /
 * share from another app) whose bytes go to the core, which says what it did; "Hand back" shares
 * the answers carried for other phones, dropped here once the volunteer confirms.
 */
class BundlesActivity : Screen() {
    private val screen: BundleScreen get() = screenOf(KEY) { BundleScreen(app.register()) }
    private var said: OpenedView? = null
    private var shared: List<String> = emptyList()
    /** The household to hand to another phone, when opened from its card. */
    private val household: String? get() = intent.getStringExtra(EXTRA_HOUSEHOLD)

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        receive(intent)
    }

    override fun onResume() {
        super.onResume()
        refresh()
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        receive(intent)
    }

    private fun refresh() = core({ screen.view() }) { render(it) }

    private fun render(v: BundlesView) = show(BundlesUi.page(v, caption, said, shared.size, household != null))

    override fun on(input: Input) {
        when (input.key) {
            Widgets.ACTION + "seal" -> core({ screen.seal() }) { file ->
                said = OpenedView(file.sentence, vn.gocua.core.NoticeLevel.INFO)
                share(listOf(BundleFiles.write(this, file.fileName, file.bytes)))
                refresh()
            }
            Widgets.ACTION + "open" -> {
                val pick = Intent(Intent.ACTION_OPEN_DOCUMENT).addCategory(Intent.CATEGORY_OPENABLE).setType("*/*")
                @Suppress("DEPRECATION")
                startActivityForResult(pick, REQUEST_PICK)
            }
            Widgets.ACTION + "hand_over" -> core({ screen.answersToHand() }) { files ->
                shared = files.map { it.id }
                share(files.map { BundleFiles.write(this, it.fileName, it.bytes) })
                refresh()
            }
            "confirm:handed" -> {
                val ids = shared
                core({ ids.forEach { screen.handed(it) } }) {
                    shared = emptyList()
                    refresh()
                }
            }
            else -> Widgets.name(input.key, BundlesUi.HAND)?.let { phone ->
                val h = household ?: return
                core({ screen.handOver(h, phone) }) { file ->
                    said = OpenedView(file.sentence, vn.gocua.core.NoticeLevel.INFO)
                    share(listOf(BundleFiles.write(this, file.fileName, file.bytes)))
                    refresh()
                }
            }
        }
    }

    private fun share(uris: List<Uri>) {
        if (uris.isEmpty()) return
        val send = if (uris.size == 1) {
            Intent(Intent.ACTION_SEND).putExtra(Intent.EXTRA_STREAM, uris[0])
        } else {
            Intent(Intent.ACTION_SEND_MULTIPLE).putParcelableArrayListExtra(Intent.EXTRA_STREAM, ArrayList(uris))
        }
        send.setType(BundleFiles.MIME).addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
        startActivity(Intent.createChooser(send, getString(R.string.bundle_share)))
    }

    @Deprecated("Activity result API of the framework (no androidx)")
    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        @Suppress("DEPRECATION")
        super.onActivityResult(requestCode, resultCode, data)
        if (requestCode == REQUEST_PICK && resultCode == RESULT_OK) data?.data?.let(::openUri)
    }

    /** A file opened with the app, or shared to it. */
    private fun receive(intent: Intent?) {
        val uri = when (intent?.action) {
            Intent.ACTION_VIEW -> intent.data
            Intent.ACTION_SEND -> @Suppress("DEPRECATION") (intent.getParcelableExtra(Intent.EXTRA_STREAM) as? Uri)
            else -> null
        } ?: return
        openUri(uri)
    }

    /** The file's bytes to the core; read at most one byte past the core's limit, which it refuses. */
    private fun openUri(uri: Uri) {
        val resolver = contentResolver
        core({
            val limit = maxBundleBytes().toInt() + 1
            val bytes = resolver.openInputStream(uri)?.use { input ->
                val out = java.io.ByteArrayOutputStream()
                val buf = ByteArray(64 * 1024)
                while (out.size() < limit) {
                    val n = input.read(buf, 0, minOf(buf.size, limit - out.size()))
                    if (n < 0) break
                    out.write(buf, 0, n)
                }
                out.toByteArray()
            } ?: ByteArray(0)
            screen.open(bytes)
        }) { v ->
            said = v
            refresh()
        }
    }

    private companion object {
        const val KEY = "bundles"
        const val REQUEST_PICK = 7702
    }
}
