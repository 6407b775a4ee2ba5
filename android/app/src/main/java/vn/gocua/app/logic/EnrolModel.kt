package vn.gocua.app.logic

import vn.gocua.core.AdminUnit
import vn.gocua.core.Enrolment
import vn.gocua.core.GocuaException

/**
 * The enrol screen: the volunteer's id and commune (the register is created for them), then the
 * hub and pairing code, scanned from the coordinator's QR code or typed.
 */
class EnrolModel(private val t: Texts) {
    sealed class State {
        object Editing : State()
        object Enrolling : State()
        data class Enrolled(val areaName: String, val hamlets: List<String>) : State()
        data class Failed(val message: String) : State()
    }

    var volunteerId = ""
    var commune: AdminUnit? = null
    var hubUrl = ""
    var pairingCode = ""
    var state: State = State.Editing
        private set
    var scanMessage: String? = null
        private set

    /** Fills hub and code from a scanned text; says so when it is not a pairing QR code. */
    fun onScanned(text: String) {
        val qr = PairingQr.parse(text)
        if (qr == null) {
            scanMessage = t.pick("Mã QR này không phải mã ghép máy của xã.", "This QR code is not a commune pairing code.")
        } else {
            hubUrl = qr.hubUrl
            pairingCode = qr.code
            scanMessage = t.pick("Đã đọc mã ghép.", "Pairing code read.")
        }
    }

    val canSubmit: Boolean
        get() = state !is State.Enrolling && volunteerId.isNotBlank() && commune != null &&
            hubUrl.isNotBlank() && pairingCode.isNotBlank()

    /** What is still missing, for a hint under the button. */
    fun missing(): List<String> = buildList {
        if (volunteerId.isBlank()) add(t.pick("Mã tình nguyện viên", "Volunteer id"))
        if (commune == null) add(t.pick("Xã/phường", "Commune"))
        if (hubUrl.isBlank() || pairingCode.isBlank()) add(t.pick("Mã ghép (quét QR hoặc nhập)", "Pairing code (scan or type)"))
    }

    fun communeLabel(): String = commune?.let { "${it.fullName} (${it.code})" } ?: ""

    fun onEnrolling() { state = State.Enrolling }

    fun onEnrolled(e: Enrolment) {
        state = State.Enrolled(e.area.name, e.area.hamlets.map { it.name })
    }

    fun onFailed(e: GocuaException) { state = State.Failed(Errors.describe(e, t)) }

    fun summary(): String = when (val s = state) {
        State.Editing -> ""
        State.Enrolling -> t.pick("Đang ghép máy với xã…", "Enrolling with the commune…")
        is State.Enrolled -> t.pick("Đã ghép máy. Địa bàn: ${s.areaName} (${s.hamlets.size} thôn/tổ).", "Enrolled. Area: ${s.areaName} (${s.hamlets.size} hamlets).")
        is State.Failed -> s.message
    }
}
