package vn.gocua.app

import android.content.ClipboardManager
import android.content.Intent
import android.os.Bundle
import android.text.InputType
import vn.gocua.app.logic.AppLock
import vn.gocua.app.logic.EnrolModel
import vn.gocua.core.catalogSearch

/**
 * Enrol: volunteer id and commune, then the pairing: the coordinator's QR code read by the phone's
 * camera app opens this screen through the `gocua://pair?...` link (AndroidManifest.xml), or the
 * pairing text is pasted, or the hub and code are typed. Creates the register (its key in the
 * Android Keystore, needing the screen lock: a phone without one is refused) and enrols it.
 */
class EnrolActivity : Screen() {
    private lateinit var model: EnrolModel
    private var communeQuery = ""

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        model = EnrolModel(t)
        setScreenTitle(getString(R.string.enrol_title))
        if (app.enrolled && intent?.data != null) {
            // A pairing link on an enrolled phone: enrolment starts again only from the app itself.
            startActivity(Intent(this, AreaActivity::class.java))
            finish()
            return
        }
        readLink(intent)
        render()
    }

    /** Opened again by a pairing link while on screen (launchMode singleTop). */
    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        setIntent(intent)
        if (::model.isInitialized) { readLink(intent); render() }
    }

    private fun readLink(intent: Intent?) {
        val link = intent?.takeIf { it.action == Intent.ACTION_VIEW }?.dataString ?: return
        model.onScanned(link)
    }

    override fun render() {
        clear()
        AppLock.enrolRefusal(app.keys.deviceSecure, t)?.let { text(it, R.style.Gocua_Message) }
        edit(getString(R.string.enrol_volunteer), model.volunteerId, InputType.TYPE_CLASS_TEXT) { model.volunteerId = it.trim() }
        if (model.commune != null) {
            button("✓ " + model.communeLabel()) { model.commune = null; render() }
        } else {
            edit(getString(R.string.enrol_commune_search), communeQuery) { communeQuery = it }
            button("🔍") {
                val q = communeQuery
                val hits = catalogSearch(q, 8u, app.lang).filter { it.provinceCode != null }
                hits.forEach { u -> button(u.fullName + " · " + u.code) { model.commune = u; render() } }
            }
        }
        text(getString(R.string.enrol_scan_hint))
        button(getString(R.string.enrol_paste)) { paste() }
        model.scanMessage?.let { text(it) }
        edit(getString(R.string.enrol_hub), model.hubUrl, InputType.TYPE_TEXT_VARIATION_URI) { model.hubUrl = it.trim() }
        edit(getString(R.string.enrol_code), model.pairingCode, InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_FLAG_CAP_CHARACTERS) { model.pairingCode = it.trim() }
        if (model.summary().isNotEmpty()) text(model.summary())
        if (model.missing().isNotEmpty()) text(model.missing().joinToString(" · "))
        action(getString(R.string.enrol_submit)) { submit() }
    }

    /** The pairing text or link copied by a scanner or messaging app. */
    private fun paste() {
        val cm = getSystemService(CLIPBOARD_SERVICE) as ClipboardManager
        val clip = cm.primaryClip
        val text = if (clip != null && clip.itemCount > 0) clip.getItemAt(0).coerceToText(this)?.toString() else null
        model.onScanned(text ?: "")
        render()
    }

    private fun submit() {
        // The register's key needs the screen lock: refused on a phone without one (AppLock).
        if (!app.keys.deviceSecure) { render(); return }
        if (!model.canSubmit) { render(); return }
        val commune = model.commune ?: return
        model.onEnrolling()
        render()
        app.background({
            val r = app.createRegister(model.volunteerId, commune.code)
            r.enrol(model.hubUrl, model.pairingCode, null)
        }) { result ->
            result.onSuccess {
                model.onEnrolled(it)
                app.enrolled = true
                render()
                startActivity(Intent(this, AreaActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_CLEAR_TOP))
                finish()
            }.onFailure { e ->
                if (e is vn.gocua.core.GocuaException.KeyStore) showError(e)
                if (e is vn.gocua.core.GocuaException) model.onFailed(e) else showError(e)
                render()
            }
        }
    }
}
