package vn.gocua.core

import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap

/** The platform key store of a test: keys in memory, as the Android Keystore would hold them. */
class MemoryKeyStore : PlatformKeyStore {
    val keys = ConcurrentHashMap<String, ByteArray>()
    override fun load(name: String): ByteArray? = keys[name]?.copyOf()
    override fun save(name: String, key: ByteArray) { keys[name] = key.copyOf() }
    override fun delete(name: String) { keys.remove(name) }
}

/** A key store that is locked: every call throws, as a locked Keychain does. */
class LockedKeyStore : PlatformKeyStore {
    override fun load(name: String): ByteArray? = throw GocuaException.KeyStore("locked")
    override fun save(name: String, key: ByteArray) = throw GocuaException.KeyStore("locked")
    override fun delete(name: String) = throw GocuaException.KeyStore("locked")
}

/** A key store with a bug: it throws something that is not a GocuaException. */
class BuggyKeyStore : PlatformKeyStore {
    override fun load(name: String): ByteArray? = throw IllegalStateException("bug")
    override fun save(name: String, key: ByteArray) = throw IllegalStateException("bug")
    override fun delete(name: String) = throw IllegalStateException("bug")
}

/** Ba Đình ward, Hà Nội (province 01, commune 00004). */
const val PROVINCE = "01"
const val COMMUNE = "00004"
const val HAMLET_NAME = "Tổ dân phố 5"

fun tempDir(): Path = Files.createTempDirectory("gocua-kotlin-")

fun household(hamletId: String) = HouseholdInput(
    provinceCode = PROVINCE,
    communeCode = COMMUNE,
    hamletId = hamletId,
    street = "Đội Cấn",
    alley = "Ngõ 12",
    houseNumber = "5",
    gps = GpsFix(
        lat = 21.0337,
        lon = 105.8142,
        accuracyM = 8.0,
        fixedAt = Instant.now().minusSeconds(60),
        source = GpsSource.FIX,
    ),
    official = null,
    notes = null,
)

fun member(
    name: String,
    relation: Relation,
    birth: String? = null,
    gender: Gender? = null,
    idNumber: String? = null,
    phone: String? = null,
) = MemberInput(
    fullName = name,
    birth = birth,
    gender = gender,
    relation = relation,
    idNumber = idNumber,
    phone = phone,
    residence = ResidenceType.PERMANENT,
)

/**
 * Runs `block` and returns the exception of type T it throws; fails the test if it throws nothing
 * or something else. (Debian's JUnit 5 jars lack the Kotlin extension of the same name.)
 */
inline fun <reified T : Throwable> assertThrows(crossinline block: () -> Unit): T =
    org.junit.jupiter.api.Assertions.assertThrows(T::class.java) { block() }

/**
 * The hub and the second device (examples/hub_fixture.rs): a Rust process serving a commune hub
 * on 127.0.0.1 (port 0), driven one command per line. Its path comes from GOCUA_HUB_FIXTURE.
 */
class HubFixture(dir: Path) : AutoCloseable {
    private val process: Process = ProcessBuilder(
        System.getenv("GOCUA_HUB_FIXTURE") ?: error("GOCUA_HUB_FIXTURE is not set: run scripts/test-kotlin.sh"),
        dir.toString(),
    ).redirectError(ProcessBuilder.Redirect.INHERIT).start()
    private val commands = process.outputStream.bufferedWriter(Charsets.UTF_8)
    private val answers = process.inputStream.bufferedReader(Charsets.UTF_8)
    val url: String

    init {
        val first = answers.readLine() ?: error("the hub fixture exited before it was ready")
        check(first.startsWith("ready http://127.0.0.1:")) { "hub fixture: $first" }
        url = first.removePrefix("ready ")
    }

    /** Sends one command; returns what follows `ok`, or fails the test on `err`. */
    fun send(command: String): String {
        commands.write(command)
        commands.newLine()
        commands.flush()
        val answer = answers.readLine() ?: error("the hub fixture exited on: $command")
        if (!answer.startsWith("ok")) throw AssertionError("hub fixture, $command: $answer")
        return answer.removePrefix("ok").trim()
    }

    override fun close() {
        runCatching { send("quit") }
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly()
    }
}

/** Records the progress a sync reports; cancels it when `cancelAt` is reached. */
class ProgressRecorder(
    private val cancelAt: Phase? = null,
    private val cancellation: SyncCancellation? = null,
) : SyncProgress {
    val phases: MutableList<Phase> = java.util.Collections.synchronizedList(mutableListOf())
    override fun onProgress(phase: Phase, done: ULong, total: ULong) {
        check(done <= total || total == 0uL) { "progress past its total" }
        phases.add(phase)
        if (phase == cancelAt) cancellation?.cancel()
    }
}

/**
 * Adds a member the way the consent rule demands: name and relation, then consent to every
 * purpose (witnessed verbally, on the core's notice), then the fields it covers. A minor's
 * consent comes from `guardian`.
 */
fun GocuaRegister.addConsented(householdId: String, input: MemberInput, guardian: String? = null) =
    addMemberWithConsent(
        householdId, input,
        ConsentPurposes(localRegister = true, setupHelp = true, shareWithCommune = true),
        consentNoticeVersion(), ConsentMethod.WITNESSED_VERBAL, guardian,
    )
