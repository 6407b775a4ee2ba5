package vn.gocua.app

import android.app.Application
import android.content.Context
import android.content.res.Configuration
import android.os.Handler
import android.os.Looper
import java.io.File
import java.util.Locale
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import vn.gocua.app.logic.ScreenStore
import vn.gocua.core.GocuaException
import vn.gocua.core.GocuaRegister
import vn.gocua.core.Language

/**
 * The app: the language (Vietnamese by default), the register (opened once, shared), one
 * background thread for every core call (calls are serialised by the core anyway) and the UI
 * thread's handler. Nothing here writes personal data to the log.
 */
class GocuaApp : Application() {
    val io: ExecutorService = Executors.newSingleThreadExecutor()
    /**
     * The sync's own thread: a sync holds the register only between its network requests (the
     * core's lock), so the screens, on [io], keep answering while it runs.
     */
    val syncing: ExecutorService = Executors.newSingleThreadExecutor()
    val main = Handler(Looper.getMainLooper())
    val keys by lazy { KeystoreKeys(this) }
    private var register: GocuaRegister? = null

    val registerFile: File get() = File(filesDir, "register.db")

    var lang: Language = Language.VI
        private set

    /** The core's screen objects, surviving an Activity being recreated (logic/ScreenStore). */
    val screens = ScreenStore()

    override fun onCreate() {
        super.onCreate()
        lang = if (prefs().getString("lang", "vi") == "en") Language.EN else Language.VI
        applyLocale(this)
        SyncJobService.schedule(this)
    }

    fun prefs() = getSharedPreferences("gocua", Context.MODE_PRIVATE)

    fun switchLanguage() {
        lang = if (lang == Language.VI) Language.EN else Language.VI
        prefs().edit().putString("lang", if (lang == Language.EN) "en" else "vi").apply()
        applyLocale(this)
        register?.setLanguage(lang)
        // A screen speaks the language it was made in: new ones are made (the form from its draft).
        // A consent screen is kept: it holds what was typed for the person and not stored yet.
        io.execute { screens.clear(keep = { it.startsWith("consent:") }) }
    }

    /** Resources in the chosen language (API 23: the configuration of the context). */
    @Suppress("DEPRECATION")
    fun applyLocale(context: Context) {
        val locale = if (lang == Language.EN) Locale.ENGLISH else Locale("vi")
        val config = Configuration(context.resources.configuration)
        config.locale = locale
        context.resources.updateConfiguration(config, context.resources.displayMetrics)
    }

    /** Enrolled: the register exists and the hub accepted this phone (set by the enrol screen). */
    var enrolled: Boolean
        get() = registerFile.exists() && prefs().getBoolean("enrolled", false)
        set(v) { prefs().edit().putBoolean("enrolled", v).apply() }

    /** The register, opened with its key from the Android Keystore. Call from [io] or [syncing] only. */
    @Synchronized
    @Throws(GocuaException::class)
    fun register(): GocuaRegister = register ?: GocuaRegister.openEncrypted(registerFile.path, keys, lang).also { register = it }

    /** A new register for the volunteer and commune being enrolled. Call from [io] only. */
    @Synchronized
    @Throws(GocuaException::class)
    fun createRegister(volunteerId: String, communeCode: String): GocuaRegister {
        dropRegister()
        keys.reset() // a new wrapping key, needing the screen lock (AppLock)
        return GocuaRegister.createEncrypted(registerFile.path, volunteerId, communeCode, keys, lang).also { register = it }
    }

    /** Closes and deletes the register (an enrolment that failed, before trying again). Call from [io] only. */
    @Synchronized
    fun dropRegister() {
        screens.clear()
        register?.destroy()
        register = null
        if (registerFile.exists()) registerFile.delete()
        File(registerFile.path + "-wal").delete()
        File(registerFile.path + "-shm").delete()
    }

    /** Runs [work] on the core's thread ([on]), then [done] on the UI thread with its result or error. */
    fun <T> background(work: () -> T, on: ExecutorService = io, done: (Result<T>) -> Unit) {
        on.execute {
            val r = try { Result.success(work()) } catch (e: Exception) { Result.failure(e) }
            main.post { done(r) }
        }
    }
}
