package vn.gocua.app.logic

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import vn.gocua.core.LocationAnswer

/** The platform rules of the shell: location permission, app lock, sync job. */
class PlatformTest {
    @Test fun locationPermissionAnswers() {
        assertEquals(LocationAnswer.PRECISE, LocationPermission.afterRequest(fine = true, coarse = true, canAskAgain = false))
        assertEquals(LocationAnswer.APPROXIMATE, LocationPermission.afterRequest(fine = false, coarse = true, canAskAgain = true))
        assertEquals(LocationAnswer.REFUSED, LocationPermission.afterRequest(fine = false, coarse = false, canAskAgain = true))
        // "don't ask again": only the settings can grant it (the core then offers them)
        assertEquals(LocationAnswer.REFUSED_FOR_GOOD, LocationPermission.afterRequest(fine = false, coarse = false, canAskAgain = false))
    }

    @Test fun appLockRefusesAPhoneWithoutScreenLock() {
        assertNull(AppLock.enrolRefusal(deviceSecure = true))
        assertEquals("lock_none", AppLock.enrolRefusal(deviceSecure = false))
        assertTrue(AppLock.asksForUnlock(AppLock.KeyFailure.NEEDS_UNLOCK))
        assertFalse(AppLock.asksForUnlock(AppLock.KeyFailure.KEY_INVALIDATED))
        assertEquals("lock_invalidated", AppLock.message(AppLock.KeyFailure.KEY_INVALIDATED))
        assertEquals(AppLock.enrolRefusal(false), AppLock.message(AppLock.KeyFailure.NO_SCREEN_LOCK))
        assertNull(AppLock.message(AppLock.KeyFailure.OTHER))
        assertTrue(AppLock.VALIDITY_SECONDS in 60..3600)
    }

    @Test fun syncJobNeverStopsARunningSync() {
        assertEquals(SyncPolicy.Ask.SCHEDULE, SyncPolicy.onAsk(scheduled = false, running = false))
        assertEquals(SyncPolicy.Ask.ALREADY_SCHEDULED, SyncPolicy.onAsk(scheduled = true, running = false))
        assertEquals(SyncPolicy.Ask.AFTER_RUNNING, SyncPolicy.onAsk(scheduled = true, running = true))
        assertEquals(SyncPolicy.Ask.AFTER_RUNNING, SyncPolicy.onAsk(scheduled = false, running = true))
    }
}
