package vn.gocua.app.logic

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class FormatTest {
    @Test fun anIdNumberIsNeverShownWhole() {
        // The core's one mask rule (screens::mask, tested there): the last 4 digits of an ID number.
        val masked = Format.maskIdNumber("001090012345")
        assertEquals("••••••••2345", masked)
        assertFalse(masked.contains("001090"))
        assertEquals("", Format.maskIdNumber(null))
        assertEquals("", Format.maskIdNumber("  "))
        assertEquals("•••••••678", Format.maskPhone("0912345678"))
    }

    @Test fun accuracyAndCoordinatesInBothLanguages() {
        assertEquals("Độ chính xác ±8 m", Format.accuracy(7.6, vi))
        assertEquals("Accuracy ±8 m", Format.accuracy(7.6, en))
        assertEquals("Accuracy ±0 m", Format.accuracy(Double.NaN, en))
        assertEquals("21.03370, 105.81420", Format.coordinates(21.0337, 105.8142))
    }

    @Test fun percentAndDueDates() {
        assertEquals("2026-03-07", Format.isoDate(2026, 3, 7))
        assertEquals(0, Format.percent(3, 0))
        assertEquals(50, Format.percent(2, 4))
        assertEquals(100, Format.percent(9, 4))
        assertTrue(Format.isDue("2026-03-01", "2026-03-01"))
        assertTrue(Format.isDue("2026-02-28", "2026-03-01"))
        assertFalse(Format.isDue("2026-03-02", "2026-03-01"))
        assertFalse(Format.isDue(null, "2026-03-01"))
    }

    @Test fun thePairingQrCodeOfTheDashboard() {
        val qr = PairingQr.parse(" GOCUA-PAIR:1:ABCD-EFGH-JK:https://hub.example.vn:8443 \n")!!
        assertEquals("ABCD-EFGH-JK", qr.code)
        assertEquals("https://hub.example.vn:8443", qr.hubUrl)
        assertNull(PairingQr.parse("GOCUA-HH:1:abc"))
        assertNull(PairingQr.parse("GOCUA-PAIR:1:ABCD:ftp://x"))
        assertNull(PairingQr.parse("GOCUA-PAIR:1::https://x"))
    }
}
