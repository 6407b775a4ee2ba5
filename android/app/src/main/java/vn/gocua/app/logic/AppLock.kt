package vn.gocua.app.logic

/**
 * The register's key needs the phone's screen lock (Android Keystore key with
 * setUserAuthenticationRequired and a validity window, KeystoreKeys): a phone without a secure
 * lock screen (PIN, pattern, password) is refused at enrolment, and when the window has passed the
 * volunteer confirms the screen lock again. Decided without a device; the sentences are static
 * captions of the shell (res/values `lock_*`), named here.
 */
object AppLock {
    /** How long an unlock of the phone opens the register's key (the Keystore's validity window). */
    const val VALIDITY_SECONDS = 15 * 60

    /** Why the key store failed, as KeystoreKeys classifies the platform's exception. */
    enum class KeyFailure { NONE, NEEDS_UNLOCK, KEY_INVALIDATED, NO_SCREEN_LOCK, OTHER }

    /** The caption of the refusal when the phone has no secure screen lock, or null when enrolment may go on. */
    fun enrolRefusal(deviceSecure: Boolean): String? = if (deviceSecure) null else "lock_none"

    /** The caption to show for a key failure; null when the core's error sentence says it. */
    fun message(f: KeyFailure): String? = when (f) {
        KeyFailure.NONE, KeyFailure.OTHER -> null
        KeyFailure.NEEDS_UNLOCK -> "lock_confirm"
        KeyFailure.KEY_INVALIDATED -> "lock_invalidated"
        KeyFailure.NO_SCREEN_LOCK -> enrolRefusal(false)
    }

    /** Whether the failure is answered by asking for the screen lock and trying again. */
    fun asksForUnlock(f: KeyFailure): Boolean = f == KeyFailure.NEEDS_UNLOCK
}
