package vn.gocua.app

import android.Manifest
import android.content.Intent
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationListener
import android.location.LocationManager
import android.os.Bundle
import android.net.Uri
import android.provider.Settings
import android.text.InputType
import android.widget.Button
import android.widget.LinearLayout
import android.widget.TextView
import java.io.File
import java.util.Properties
import vn.gocua.app.logic.LocationPermission
import vn.gocua.app.logic.RegisterWizard
import vn.gocua.core.ConsentAction
import vn.gocua.core.ConsentMethod
import vn.gocua.core.Gender
import vn.gocua.core.GocuaException
import vn.gocua.core.Hamlet
import vn.gocua.core.consentNoticeVersion
import vn.gocua.core.plusCode
import vn.gocua.core.relations
import vn.gocua.core.validateHousehold
import vn.gocua.core.validateMember

/**
 * Register a household, step by step (RegisterWizard): address and position (GPS fix with its
 * accuracy, retry, or a position typed by hand from a map), the Plus Code at once; members; consent
 * of each person read out from the notice; then the checklist of each member. Leaving keeps a
 * draft in the app's private no-backup files.
 */
class RegisterActivity : Screen() {
    private lateinit var w: RegisterWizard
    private var hamlets: List<Hamlet> = emptyList()
    private var listener: LocationListener? = null
    private val draftFile get() = File(noBackupFilesDir, "register-draft.properties")

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        w = RegisterWizard(t) { lat, lon -> plusCode(lat, lon) }
        if (draftFile.exists()) {
            val p = Properties().apply { draftFile.inputStream().use { load(it) } }
            w.restore(p.stringPropertyNames().associateWith { p.getProperty(it) })
        }
        core({
            val r = app.register()
            val commune = r.identity().communeCode
            val units = vn.gocua.core.catalogUnit(commune, app.lang)
            Triple(commune, units?.provinceCode ?: "", r.hamlets(commune))
        }) { (commune, province, list) ->
            w.communeCode = commune
            w.provinceCode = province
            hamlets = list
            if (w.hamletId.isEmpty()) w.hamletId = list.firstOrNull()?.id ?: ""
            render()
        }
    }

    private var finished = false

    override fun onPause() {
        super.onPause()
        stopLocating()
        if (finished) return
        val p = Properties()
        w.draft().forEach { (k, v) -> p.setProperty(k, v) }
        draftFile.outputStream().use { p.store(it, null) }
    }

    override fun render() {
        clear()
        positionBox = null
        setScreenTitle(w.stepTitle())
        when (w.step) {
            RegisterWizard.Step.ADDRESS -> address()
            RegisterWizard.Step.MEMBERS -> members()
            RegisterWizard.Step.CONSENT -> consent()
            RegisterWizard.Step.CHECKLIST -> checklist()
        }
    }

    private fun revalidateHousehold() { w.onChecked(validateHousehold(w.householdInput(), app.lang)) }

    private fun address() {
        text(getString(R.string.register_hamlet))
        hamlets.forEach { h -> choice(h.name, h.id == w.hamletId, row()) { w.hamletId = h.id; render() } }
        edit(getString(R.string.register_street), w.street) { w.street = it }
        edit(getString(R.string.register_alley), w.alley) { w.alley = it }
        edit(getString(R.string.register_house), w.houseNumber, InputType.TYPE_CLASS_TEXT) { w.houseNumber = it }
        messages(w.issues.messagesFor("address"))
        positionBox = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        body.addView(positionBox)
        renderPosition()
        edit(getString(R.string.register_notes), w.notes) { w.notes = it }
        messages(w.issues.others(listOf("address", "digital_address")))
        w.warningPrompt()?.let { text(it) }
        action(getString(R.string.register_save_later)) { finish() }
        action(getString(R.string.register_continue)) {
            revalidateHousehold()
            if (!w.trySave()) { render(); return@action }
            core({
                try { Result.success(app.register().createHousehold(w.householdInput())) } catch (e: GocuaException.Validation) { Result.failure(e) }
            }) { res ->
                res.onSuccess { w.onHouseholdCreated(it.id) }.onFailure { w.onRejected((it as GocuaException.Validation).issues) }
                render()
            }
        }
    }

    /**
     * The position part of the address step: position and accuracy, Plus Code, the core's messages
     * about it, the locate/pin buttons. A GPS fix redraws only this box, never the form's fields
     * (a redraw of the whole form every second took the focus and the keyboard from the typist).
     */
    private var positionBox: LinearLayout? = null
    private var permissionNote: String? = null

    private fun renderPosition() {
        val box = positionBox ?: return
        box.removeAllViews()
        fun line(s: String, style: Int = 0) = box.addView(TextView(this).apply {
            text = s
            if (style != 0) setTextAppearance(style)
            setPadding(0, 8, 0, 8)
        })
        line(w.positionText())
        w.plusCode()?.let { line(getString(R.string.register_plus_code, it), R.style.Gocua_Title) }
        w.issues.messagesFor("digital_address").forEach { line(it, R.style.Gocua_Message) }
        permissionNote?.let { line(it, R.style.Gocua_Message) }
        val r = LinearLayout(this).apply { orientation = LinearLayout.HORIZONTAL }
        box.addView(r)
        choice(getString(if (w.position is RegisterWizard.Position.Known) R.string.register_retry else R.string.register_locate), false, r) { locate() }
        choice(getString(R.string.register_pin), false, r) { pinByHand() }
        if (permissionNote != null && !canAskLocation) {
            box.addView(Button(this).apply {
                text = getString(R.string.open_settings)
                setOnClickListener {
                    startActivity(Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS, Uri.fromParts("package", packageName, null)))
                }
            })
        }
    }

    private var canAskLocation = true

    private fun granted(p: String) = checkSelfPermission(p) == PackageManager.PERMISSION_GRANTED

    /** Precise and approximate location are asked for together (Android 12+ offers either). */
    private fun locate() {
        if (!granted(Manifest.permission.ACCESS_FINE_LOCATION) && !granted(Manifest.permission.ACCESS_COARSE_LOCATION)) {
            requestPermissions(arrayOf(Manifest.permission.ACCESS_FINE_LOCATION, Manifest.permission.ACCESS_COARSE_LOCATION), REQUEST_LOCATION)
            return
        }
        startLocating(precise = granted(Manifest.permission.ACCESS_FINE_LOCATION))
    }

    override fun onRequestPermissionsResult(requestCode: Int, permissions: Array<out String>, grantResults: IntArray) {
        super.onRequestPermissionsResult(requestCode, permissions, grantResults)
        if (requestCode != REQUEST_LOCATION) return
        fun answered(p: String) = permissions.indices.any { permissions[it] == p && grantResults.getOrNull(it) == PackageManager.PERMISSION_GRANTED }
        val outcome = LocationPermission.afterRequest(
            fine = answered(Manifest.permission.ACCESS_FINE_LOCATION),
            coarse = answered(Manifest.permission.ACCESS_COARSE_LOCATION),
            // false after "don't ask again" (or when a policy forbids asking): only Settings can grant it
            canAskAgain = shouldShowRequestPermissionRationale(Manifest.permission.ACCESS_FINE_LOCATION),
        )
        permissionNote = LocationPermission.message(outcome, t)
        canAskLocation = outcome != LocationPermission.Outcome.OPEN_SETTINGS
        when (outcome) {
            LocationPermission.Outcome.PRECISE -> startLocating(precise = true)
            LocationPermission.Outcome.APPROXIMATE -> startLocating(precise = false)
            else -> renderPosition()
        }
    }

    @Suppress("MissingPermission")
    private fun startLocating(precise: Boolean) {
        val lm = getSystemService(LOCATION_SERVICE) as LocationManager
        val provider = if (precise) LocationManager.GPS_PROVIDER else LocationManager.NETWORK_PROVIDER
        if (!lm.isProviderEnabled(provider)) {
            w.onNoFix(t.pick("GPS đang tắt", "GPS is off"))
            renderPosition()
            return
        }
        stopLocating()
        w.onLocating()
        renderPosition()
        val l = object : LocationListener {
            override fun onLocationChanged(loc: Location) {
                w.onFix(loc.latitude, loc.longitude, loc.accuracy.toDouble(), loc.time)
                revalidateHousehold()
                if (loc.accuracy <= 20f) stopLocating() // good enough: stop draining the battery
                renderPosition()
            }
            @Deprecated("API 23") override fun onStatusChanged(p: String?, s: Int, b: Bundle?) {}
            override fun onProviderEnabled(p: String) {}
            override fun onProviderDisabled(p: String) { w.onNoFix(t.pick("GPS đã tắt", "GPS turned off")); renderPosition() }
        }
        listener = l
        lm.requestLocationUpdates(provider, 1000L, 0f, l)
    }

    private companion object { const val REQUEST_LOCATION = 1 }

    private fun stopLocating() {
        listener?.let { (getSystemService(LOCATION_SERVICE) as LocationManager).removeUpdates(it) }
        listener = null
    }

    /** A position read off a map app by the volunteer, typed as "lat, lon". */
    private fun pinByHand() {
        val input = android.widget.EditText(this).apply { hint = "21.03370, 105.81420"; inputType = InputType.TYPE_CLASS_TEXT }
        android.app.AlertDialog.Builder(this).setTitle(R.string.register_pin).setView(input)
            .setPositiveButton(R.string.ok) { _, _ ->
                val parts = input.text.toString().split(',').mapNotNull { it.trim().toDoubleOrNull() }
                if (parts.size == 2) {
                    stopLocating()
                    w.onPinned(parts[0], parts[1], System.currentTimeMillis())
                    revalidateHousehold()
                }
                render()
            }.show()
    }

    private fun members() {
        w.members.forEach { m -> text("✓ ${m.name}") }
        edit(getString(R.string.member_name), w.memberName) { w.memberName = it }
        messages(w.issues.messagesFor("member.full_name"))
        edit(getString(R.string.member_birth), w.memberBirth, InputType.TYPE_CLASS_DATETIME) { w.memberBirth = it }
        messages(w.issues.messagesFor("member.birth"))
        val g = row()
        choice(getString(R.string.member_gender_male), w.memberGender == Gender.MALE, g) { w.memberGender = Gender.MALE; render() }
        choice(getString(R.string.member_gender_female), w.memberGender == Gender.FEMALE, g) { w.memberGender = Gender.FEMALE; render() }
        text(getString(R.string.member_relation))
        val rel = relations(app.lang)
        val current = rel.firstOrNull { it.relation == w.memberRelation }
        button("▼ " + (current?.label ?: "")) {
            android.app.AlertDialog.Builder(this).setItems(rel.map { it.label }.toTypedArray()) { _, i ->
                w.memberRelation = rel[i].relation; render()
            }.show()
        }
        edit(getString(R.string.member_id), w.memberIdNumber, InputType.TYPE_CLASS_NUMBER) { w.memberIdNumber = it }
        messages(w.issues.messagesFor("member.id_number"))
        edit(getString(R.string.member_phone), w.memberPhone, InputType.TYPE_CLASS_PHONE) { w.memberPhone = it }
        messages(w.issues.messagesFor("member.phone"))
        messages(w.issues.others(listOf("member.full_name", "member.birth", "member.id_number", "member.phone")))
        w.warningPrompt()?.let { text(it) }
        button(getString(R.string.member_add)) {
            w.onChecked(validateMember(w.memberInput(), app.lang))
            if (!w.trySave()) { render(); return@button }
            val hid = w.householdId ?: return@button
            core({
                try { Result.success(app.register().addMember(hid, w.memberBeforeConsent())) } catch (e: GocuaException.Validation) { Result.failure(e) }
            }) { res ->
                res.onSuccess { w.onMemberAdded(it.id) }.onFailure { w.onRejected((it as GocuaException.Validation).issues) }
                render()
            }
        }
        action(getString(R.string.member_done), enabled = w.canLeaveMembers) { w.toConsent(); render() }
    }

    private fun consent() {
        text(w.consentProgress())
        val m = w.nextWithoutConsent()
        if (m == null) { w.toChecklist(); render(); return }
        text(m.name, R.style.Gocua_Title)
        text(getString(R.string.consent_notice))
        val p = w.purposes
        choice(getString(R.string.consent_local), p.localRegister, row()) { w.purposes = p.copy(localRegister = !p.localRegister); render() }
        choice(getString(R.string.consent_help), p.setupHelp, row()) { w.purposes = p.copy(setupHelp = !p.setupHelp); render() }
        choice(getString(R.string.consent_share), p.shareWithCommune, row()) { w.purposes = p.copy(shareWithCommune = !p.shareWithCommune); render() }
        val methods = listOf(ConsentMethod.SIGNATURE_ON_SCREEN to R.string.consent_signature, ConsentMethod.WITNESSED_VERBAL to R.string.consent_verbal, ConsentMethod.THUMBPRINT to R.string.consent_thumb)
        val mr: LinearLayout = row()
        methods.forEach { (method, label) -> choice(getString(label), w.method == method, mr) { w.method = method; render() } }
        text(getString(R.string.consent_guardian))
        val gr = row()
        w.guardianChoices(m.id).forEach { g -> choice(g.name, w.guardianId == g.id, gr) { w.guardianId = if (w.guardianId == g.id) null else g.id; render() } }
        action(getString(R.string.consent_refused)) { w.onConsentRecorded(m.id); render() }
        action(getString(R.string.consent_record)) {
            val hid = w.householdId ?: return@action
            core({
                app.register().recordConsent(hid, m.id, ConsentAction.GIVEN, w.purposes, consentNoticeVersion(), w.method, w.guardianId)
                if (w.purposes.localRegister) m.withheld.forEach { app.register().setMemberField(hid, m.id, it) }
            }) { w.onConsentRecorded(m.id); render() }
        }
    }

    private fun checklist() {
        val hid = w.householdId ?: return
        w.members.forEach { m ->
            button(getString(R.string.household_open_checklist, m.name)) {
                startActivity(Intent(this, ChecklistActivity::class.java)
                    .putExtra(AreaActivity.EXTRA_HOUSEHOLD, hid).putExtra(ChecklistActivity.EXTRA_MEMBER, m.id))
            }
        }
        action(getString(R.string.register_back)) { w.back(); render() }
        action(getString(R.string.ok)) {
            finished = true
            draftFile.delete()
            startActivity(Intent(this, CardActivity::class.java).putExtra(AreaActivity.EXTRA_HOUSEHOLD, hid))
            finish()
        }
    }
}
