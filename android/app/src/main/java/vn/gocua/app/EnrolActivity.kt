package vn.gocua.app

import android.content.ActivityNotFoundException
import android.content.Intent
import android.os.Bundle
import android.text.InputType
import vn.gocua.app.logic.EnrolModel
import vn.gocua.core.catalogSearch

/**
 * Enrol: volunteer id and commune, then the pairing (scanned with a scanner app through an Intent,
 * or typed). Creates the register (its key in the Android Keystore) and enrols it with the hub.
 */
class EnrolActivity : Screen() {
    private lateinit var model: EnrolModel
    private var communeQuery = ""

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        model = EnrolModel(t)
        setScreenTitle(getString(R.string.enrol_title))
        render()
    }

    override fun render() {
        clear()
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
        button(getString(R.string.enrol_scan)) { scan() }
        model.scanMessage?.let { text(it) }
        edit(getString(R.string.enrol_hub), model.hubUrl, InputType.TYPE_TEXT_VARIATION_URI) { model.hubUrl = it.trim() }
        edit(getString(R.string.enrol_code), model.pairingCode, InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_FLAG_CAP_CHARACTERS) { model.pairingCode = it.trim() }
        if (model.summary().isNotEmpty()) text(model.summary())
        if (model.missing().isNotEmpty()) text(model.missing().joinToString(" · "))
        action(getString(R.string.enrol_submit)) { submit() }
    }

    private fun scan() {
        // Any installed scanner app answering the ZXing intent (no scanning library in this app).
        val intent = Intent("com.google.zxing.client.android.SCAN").putExtra("SCAN_MODE", "QR_CODE_MODE")
        try {
            startActivityForResult(intent, SCAN)
        } catch (e: ActivityNotFoundException) {
            text(getString(R.string.enrol_no_scanner))
        }
    }

    @Deprecated("Activity result API of the framework (no androidx)")
    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        super.onActivityResult(requestCode, resultCode, data)
        if (requestCode == SCAN && resultCode == RESULT_OK) {
            data?.getStringExtra("SCAN_RESULT")?.let { model.onScanned(it) }
            render()
        }
    }

    private fun submit() {
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
                if (e is vn.gocua.core.GocuaException) model.onFailed(e) else showError(e)
                render()
            }
        }
    }

    companion object { private const val SCAN = 1 }
}
