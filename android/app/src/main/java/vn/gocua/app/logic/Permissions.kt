package vn.gocua.app.logic

/**
 * The location permission's answers, decided without a device. The app asks for
 * ACCESS_FINE_LOCATION together with ACCESS_COARSE_LOCATION (Android 12+ lets the person grant
 * only the approximate one); after a refusal, Android's `shouldShowRequestPermissionRationale`
 * is true if it may ask again, false once "don't ask again" was ticked (or a policy forbids it):
 * then only the system settings can grant it.
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

    fun message(o: Outcome, t: Texts): String? = when (o) {
        Outcome.PRECISE -> null
        Outcome.APPROXIMATE -> t.pick(
            "Chỉ có vị trí gần đúng: hãy cho phép \"vị trí chính xác\" để mã Plus Code đúng nhà, hoặc ghim vị trí bằng tay.",
            "Only an approximate position: allow \"precise location\" so the Plus Code points at the house, or pin it by hand.",
        )
        Outcome.EXPLAIN_AND_ASK_AGAIN -> t.pick(
            "Ứng dụng cần vị trí để tính mã Plus Code của hộ; vị trí chỉ lưu cùng địa chỉ hộ. Bấm \"Lấy vị trí GPS\" để cho phép, hoặc ghim vị trí bằng tay.",
            "The app needs the position to compute the household's Plus Code; it is kept only with the household's address. Tap \"Get GPS position\" to allow it, or pin the position by hand.",
        )
        Outcome.OPEN_SETTINGS -> t.pick(
            "Quyền vị trí đã bị tắt cho ứng dụng này. Mở Cài đặt › Ứng dụng › Gò Cửa › Quyền › Vị trí để bật lại, hoặc ghim vị trí bằng tay.",
            "Location is turned off for this app. Open Settings › Apps › Gò Cửa › Permissions › Location to allow it, or pin the position by hand.",
        )
    }
}
