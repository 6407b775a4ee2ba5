package vn.gocua.app.logic

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The platform rules of the shell: pairing links, location permission, app lock, sync job. */
class PlatformTest {
    @Test fun pairingLinkOpenedByTheCameraApp() {
        val p = PairingQr.parse("gocua://pair?code=ABCD-EFGH-JK&hub=https%3A%2F%2Fhub.xa-00004.vn%3A8443")
        assertEquals(PairingQr("ABCD-EFGH-JK", "https://hub.xa-00004.vn:8443"), p)
        // parameters in any order, scheme and host in any case
        assertEquals(p, PairingQr.parse("GOCUA://PAIR?hub=https%3A%2F%2Fhub.xa-00004.vn%3A8443&code=ABCD-EFGH-JK"))
        // the link the shell would put in a QR code reads back
        assertEquals(p, PairingQr.parse(PairingQr.link(p!!)))
        // the dashboard's text form still reads
        assertEquals(PairingQr("ABCD-EFGH-JK", "http://127.0.0.1:8080"), PairingQr.parse("GOCUA-PAIR:1:ABCD-EFGH-JK:http://127.0.0.1:8080"))
    }

    @Test fun notAPairingLink() {
        assertNull(PairingQr.parse("gocua://pair?code=ABCD-EFGH-JK"))               // no hub
        assertNull(PairingQr.parse("gocua://pair?hub=https%3A%2F%2Fh.vn"))          // no code
        assertNull(PairingQr.parse("gocua://card?code=A&hub=https%3A%2F%2Fh.vn"))   // another host
        assertNull(PairingQr.parse("gocua://pair?code=A&hub=javascript%3Aalert(1)")) // not a web hub
        assertNull(PairingQr.parse("gocua://pair?code=A%20B&hub=https%3A%2F%2Fh.vn")) // a space in the code
        assertNull(PairingQr.parse("https://example.com/?code=A&hub=https://h.vn"))
        assertNull(PairingQr.parse("gocua://pair?code=A&hub=%zz"))                  // bad escape
    }

    @Test fun theEnrolScreenTakesTheLink() {
        val m = EnrolModel(en)
        m.onScanned("gocua://pair?code=ABCD-EFGH-JK&hub=https%3A%2F%2Fhub.example")
        assertEquals("ABCD-EFGH-JK", m.pairingCode)
        assertEquals("https://hub.example", m.hubUrl)
        assertEquals("Pairing code read.", m.scanMessage)
    }

    @Test fun locationPermissionAnswers() {
        assertEquals(LocationPermission.Outcome.PRECISE, LocationPermission.afterRequest(fine = true, coarse = true, canAskAgain = false))
        assertEquals(LocationPermission.Outcome.APPROXIMATE, LocationPermission.afterRequest(fine = false, coarse = true, canAskAgain = true))
        assertEquals(LocationPermission.Outcome.EXPLAIN_AND_ASK_AGAIN, LocationPermission.afterRequest(fine = false, coarse = false, canAskAgain = true))
        // "don't ask again": only the settings can grant it, and the sentence says where
        val never = LocationPermission.afterRequest(fine = false, coarse = false, canAskAgain = false)
        assertEquals(LocationPermission.Outcome.OPEN_SETTINGS, never)
        assertTrue(LocationPermission.message(never, en)!!.contains("Settings"))
        assertTrue(LocationPermission.message(never, vi)!!.contains("Cài đặt"))
        assertNull(LocationPermission.message(LocationPermission.Outcome.PRECISE, vi))
    }

    @Test fun appLockRefusesAPhoneWithoutScreenLock() {
        assertNull(AppLock.enrolRefusal(deviceSecure = true, t = vi))
        assertEquals(
            "This phone has no screen lock. The register holds personal data, so it only opens on a locked phone: go to Settings › Security › Screen lock, set a PIN, pattern or password, then come back to enrol.",
            AppLock.enrolRefusal(deviceSecure = false, t = en),
        )
        assertTrue(AppLock.enrolRefusal(deviceSecure = false, t = vi)!!.startsWith("Điện thoại này chưa có khóa màn hình."))
        assertTrue(AppLock.asksForUnlock(AppLock.KeyFailure.NEEDS_UNLOCK))
        assertFalse(AppLock.asksForUnlock(AppLock.KeyFailure.KEY_INVALIDATED))
        assertNotNull(AppLock.message(AppLock.KeyFailure.KEY_INVALIDATED, vi))
        assertEquals(AppLock.enrolRefusal(false, en), AppLock.message(AppLock.KeyFailure.NO_SCREEN_LOCK, en))
        assertNull(AppLock.message(AppLock.KeyFailure.OTHER, en))
        assertTrue(AppLock.VALIDITY_SECONDS in 60..3600)
    }

    @Test fun syncJobNeverStopsARunningSync() {
        assertEquals(SyncPolicy.Ask.SCHEDULE, SyncPolicy.onAsk(scheduled = false, running = false))
        assertEquals(SyncPolicy.Ask.ALREADY_SCHEDULED, SyncPolicy.onAsk(scheduled = true, running = false))
        assertEquals(SyncPolicy.Ask.AFTER_RUNNING, SyncPolicy.onAsk(scheduled = true, running = true))
        assertEquals(SyncPolicy.Ask.AFTER_RUNNING, SyncPolicy.onAsk(scheduled = false, running = true))
        assertTrue(SyncPolicy.retry(pendingAfter = 2, rejected = 0))
        assertFalse(SyncPolicy.retry(pendingAfter = 2, rejected = 1)) // the hub said no: a person must look
        assertFalse(SyncPolicy.retry(pendingAfter = 0, rejected = 0))
    }
}
