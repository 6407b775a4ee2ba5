package vn.gocua.core

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Every failure arrives as a GocuaException of a kind the app can act on, never a crash. */
class ErrorsTest {
    @Test
    fun keyStoreFailuresAreExceptions() {
        val dir = tempDir()
        val locked = assertThrows<GocuaException.KeyStore> {
            GocuaRegister.createEncrypted(dir.resolve("a.db").toString(), "vol-01", COMMUNE, LockedKeyStore(), Language.VI)
        }
        assertTrue(locked.reason.contains("locked"))
        // Something other than a GocuaException from the key store is still a KeyStore error.
        val buggy = assertThrows<GocuaException.KeyStore> {
            GocuaRegister.createEncrypted(dir.resolve("b.db").toString(), "vol-01", COMMUNE, BuggyKeyStore(), Language.VI)
        }
        assertFalse(buggy.reason.contains("bug"), "the shell's own exception text is not passed on")
        assertThrows<GocuaException.KeyStore> {
            GocuaRegister.openEncrypted(dir.resolve("a.db").toString(), LockedKeyStore(), Language.VI)
        }
    }

    @Test
    fun missingThingsAndBadInput() {
        val dir = tempDir()
        // No key: the key store cannot open anything. A key but no file: set the register up.
        assertThrows<GocuaException.WrongKey> {
            GocuaRegister.openEncrypted(dir.resolve("none.db").toString(), MemoryKeyStore(), Language.VI)
        }
        val someKey = MemoryKeyStore().apply { keys["gocua.register"] = ByteArray(32) { it.toByte() } }
        assertThrows<GocuaException.NotInitialised> {
            GocuaRegister.openEncrypted(dir.resolve("none.db").toString(), someKey, Language.VI)
        }
        val invalid = assertThrows<GocuaException.Validation> {
            GocuaRegister.createEncrypted(dir.resolve("c.db").toString(), "vol 01", "99999", MemoryKeyStore(), Language.EN)
        }
        assertEquals(setOf("commune_code", "volunteer_id"), invalid.issues.map { it.field }.toSet())

        val keys = MemoryKeyStore()
        val register = GocuaRegister.createEncrypted(dir.resolve("d.db").toString(), "vol-01", COMMUNE, keys, Language.VI)
        assertThrows<GocuaException.NotFound> { register.household("0123456789abcdef") }
        val unknownHamlet = assertThrows<GocuaException.Validation> { register.createHousehold(household("khong-co")) }
        assertEquals(IssueKind.UNKNOWN_HAMLET, unknownHamlet.issues.single().kind)
        assertThrows<GocuaException.InvalidInput> { parseHouseholdCard("not a card") }
        assertThrows<GocuaException.InvalidInput> {
            register.addConsented("x", member("Phạm Thị E", Relation.HEAD, birth = "31/02/1990"))
        }
        assertThrows<GocuaException.NotEnrolled> { register.sync(null, null) }
        assertEquals(null, register.syncStatus())

        // Rotating the key keeps the data readable, under the new key only.
        val before = keys.keys.getValue("gocua.register").copyOf()
        register.rotateKey(keys)
        assertFalse(before.contentEquals(keys.keys.getValue("gocua.register")))
        register.close()
        GocuaRegister.openEncrypted(dir.resolve("d.db").toString(), keys, Language.VI).close()

        // Form validation before saving, in the user's language.
        val issues = validateMember(member("  ", Relation.HEAD, idNumber = "abc"), Language.VI)
        assertTrue(issues.any { it.field == "member.id_number" && it.message == "Số định danh cá nhân phải gồm đúng 12 chữ số." })
        assertTrue(issues.any { it.field == "member.full_name" })
    }
}
