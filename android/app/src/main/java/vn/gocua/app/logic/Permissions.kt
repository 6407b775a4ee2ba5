package vn.gocua.app.logic

/**
 * The location permission's answers, decided without a device. The app asks for
 * ACCESS_FINE_LOCATION together with ACCESS_COARSE_LOCATION (Android 12+ lets the person grant
 * only the approximate one); after a refusal, Android's `shouldShowRequestPermissionRationale`
 * is true if it may ask again, false once "don't ask again" was ticked (or a policy forbids it):
 * then only the system settings can grant it. The sentences are static captions (res/values
 * `location_*`), named here.
 */
object LocationPermission {
    enum class Outcome { PRECISE, APPROXIMATE, EXPLAIN_AND_ASK_AGAIN, OPEN_SETTINGS }

    /** After `onRequestPermissionsResult`: [fine] / [coarse] granted, [canAskAgain] = rationale. */
    fun afterRequest(fine: Boolean, coarse: Boolean, canAskAgain: Boolean): Outcome = when {
        fine -> Outcome.PRECISE
        coarse -> Outcome.APPROXIMATE
        canAskAgain -> Outcome.EXPLAIN_AND_ASK_AGAIN
        else -> Outcome.OPEN_SETTINGS
    }

    /** The caption to show, or null. */
    fun message(o: Outcome): String? = when (o) {
        Outcome.PRECISE -> null
        Outcome.APPROXIMATE -> "location_approximate"
        Outcome.EXPLAIN_AND_ASK_AGAIN -> "location_explain"
        Outcome.OPEN_SETTINGS -> "location_settings"
    }
}
