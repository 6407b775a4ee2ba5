package vn.gocua.app.logic

import vn.gocua.core.GocuaException

/**
 * What to tell the volunteer when a core call fails: the core's message (safe to show, never
 * personal data) and, for the kinds a volunteer can act on, what to do next.
 */
object Errors {
    fun describe(e: GocuaException, t: Texts): String {
        val hint = when (e) {
            is GocuaException.Network -> t.pick("Chưa kết nối được máy chủ xã; sẽ thử lại khi có mạng.", "Cannot reach the commune hub; it will retry when online.")
            is GocuaException.NotEnrolled -> t.pick("Máy chưa ghép với xã: xin mã ghép từ điều phối viên.", "This phone is not enrolled: ask the coordinator for a pairing code.")
            is GocuaException.Revoked -> t.pick("Xã đã thu hồi máy này: liên hệ điều phối viên.", "The commune revoked this phone: contact the coordinator.")
            is GocuaException.PairingInvalid -> t.pick("Mã ghép sai, đã dùng hoặc hết hạn.", "The pairing code is wrong, used or expired.")
            is GocuaException.UpdateRequired -> t.pick("Cần cập nhật ứng dụng.", "Update the app.")
            is GocuaException.KeyStore, is GocuaException.WrongKey -> t.pick("Không mở được khóa của sổ trên máy.", "The register's key could not be opened on this phone.")
            else -> null
        }
        val reason = reason(e)
        return if (hint == null) reason else if (reason.isBlank()) hint else "$hint\n$reason"
    }

    fun reason(e: GocuaException): String = when (e) {
        is GocuaException.Validation -> e.reason
        is GocuaException.NotFound -> e.reason
        is GocuaException.NotInitialised -> e.reason
        is GocuaException.AlreadyExists -> e.reason
        is GocuaException.WrongKey -> e.reason
        is GocuaException.KeyStore -> e.reason
        is GocuaException.Storage -> e.reason
        is GocuaException.UpdateRequired -> e.reason
        is GocuaException.NoConflict -> e.reason
        is GocuaException.InvalidInput -> e.reason
        is GocuaException.Network -> e.reason
        is GocuaException.NotEnrolled -> e.reason
        is GocuaException.Revoked -> e.reason
        is GocuaException.Unauthorized -> e.reason
        is GocuaException.PairingInvalid -> e.reason
        is GocuaException.Certificate -> e.reason
        is GocuaException.Hub -> e.reason
        is GocuaException.Cancelled -> e.reason
        is GocuaException.Internal -> e.reason
    }
}
