package vn.gocua.app.logic

/**
 * The register's key needs the phone's screen lock (Android Keystore key with
 * setUserAuthenticationRequired and a validity window, KeystoreKeys): a phone without a secure
 * lock screen (PIN, pattern, password) is refused at enrolment, and when the window has passed the
 * volunteer confirms the screen lock again. Plain Kotlin, decided and worded without a device.
 */
object AppLock {
    /** How long an unlock of the phone opens the register's key (the Keystore's validity window). */
    const val VALIDITY_SECONDS = 15 * 60

    /** Why the key store failed, as KeystoreKeys classifies the platform's exception. */
    enum class KeyFailure { NONE, NEEDS_UNLOCK, KEY_INVALIDATED, NO_SCREEN_LOCK, OTHER }

    /** The refusal sentence when the phone has no secure screen lock, or null when enrolment may go on. */
    fun enrolRefusal(deviceSecure: Boolean, t: Texts): String? = if (deviceSecure) null else t.pick(
        "Điện thoại này chưa có khóa màn hình. Sổ hộ trên máy chứa thông tin cá nhân nên chỉ được mở khi máy có khóa: vào Cài đặt › Bảo mật › Khóa màn hình, đặt mã PIN, hình vẽ hoặc mật khẩu, rồi quay lại ghép máy.",
        "This phone has no screen lock. The register holds personal data, so it only opens on a locked phone: go to Settings › Security › Screen lock, set a PIN, pattern or password, then come back to enrol.",
    )

    /** What to tell the volunteer for a key failure; null when there is nothing to say. */
    fun message(f: KeyFailure, t: Texts): String? = when (f) {
        KeyFailure.NONE -> null
        KeyFailure.NEEDS_UNLOCK -> t.pick("Xác nhận khóa màn hình để mở sổ hộ.", "Confirm your screen lock to open the register.")
        KeyFailure.KEY_INVALIDATED -> t.pick(
            "Khóa màn hình của máy đã bị gỡ hoặc đổi kiểu nên khóa của sổ hộ không còn dùng được. Đặt lại khóa màn hình rồi ghép máy lại: các hộ đã đồng bộ sẽ được tải về từ xã.",
            "The phone's screen lock was removed or replaced, so the register's key can no longer be used. Set a screen lock and enrol again: synced households come back from the commune.",
        )
        KeyFailure.NO_SCREEN_LOCK -> enrolRefusal(false, t)
        KeyFailure.OTHER -> null
    }

    /** Whether the failure is answered by asking for the screen lock and trying again. */
    fun asksForUnlock(f: KeyFailure): Boolean = f == KeyFailure.NEEDS_UNLOCK
}
