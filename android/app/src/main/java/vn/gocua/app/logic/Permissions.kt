package vn.gocua.app.logic

import vn.gocua.core.LocationAnswer

/**
 * The location permission's answers, decided without a device. The app asks for
 * ACCESS_FINE_LOCATION together with ACCESS_COARSE_LOCATION (Android 12+ lets the person grant
 * only the approximate one); after a refusal, Android's `shouldShowRequestPermissionRationale`
 * is true if it may ask again, false once "don't ask again" was ticked (or a policy forbids it):
 * then only the system settings can grant it. What each answer means for the volunteer is the
 * core's sentence (HouseholdFormView.locationNotice); only Android's flags are read here.
 */
object LocationPermission {
    /** After `onRequestPermissionsResult`: [fine] / [coarse] granted, [canAskAgain] = rationale. */
    fun afterRequest(fine: Boolean, coarse: Boolean, canAskAgain: Boolean): LocationAnswer = when {
        fine -> LocationAnswer.PRECISE
        coarse -> LocationAnswer.APPROXIMATE
        canAskAgain -> LocationAnswer.REFUSED
        else -> LocationAnswer.REFUSED_FOR_GOOD
    }
}
