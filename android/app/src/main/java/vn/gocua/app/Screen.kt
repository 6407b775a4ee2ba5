package vn.gocua.app

import android.app.Activity
import android.app.AlertDialog
import android.app.KeyguardManager
import android.content.Intent
import android.os.Bundle
import android.widget.Button
import android.widget.LinearLayout
import android.widget.TextView
import vn.gocua.app.logic.AppLock
import vn.gocua.app.logic.Caption
import vn.gocua.app.logic.Input
import vn.gocua.app.logic.Page
import vn.gocua.core.GocuaException
import vn.gocua.core.errorText

/**
 * The frame of every screen (res/layout/activity_screen.xml): a title, a body and a bar of
 * buttons, each drawn by a [Binder] from a [Page] (logic/ScreenUi.kt) built from the core's view
 * state. Every core call runs on the app's core thread ([core]); its result comes back here.
 */
abstract class Screen : Activity() {
    protected val app get() = application as GocuaApp
    protected lateinit var body: LinearLayout
    protected lateinit var actions: LinearLayout
    private lateinit var bodyBinder: Binder
    private lateinit var barBinder: Binder

    /** The frame: a scrolling body (activity_screen), or a fixed body above a list (activity_list). */
    protected open val layoutId: Int get() = R.layout.activity_screen

    /** The shell's static captions by the names logic/ScreenUi.kt uses (res/values, res/values-en). */
    protected val caption: Caption = { name -> CAPTIONS[name]?.let(::getString) ?: name }

    override fun onCreate(savedInstanceState: Bundle?) {
        app.applyLocale(this)
        super.onCreate(savedInstanceState)
        setContentView(layoutId)
        body = findViewById(R.id.body) as LinearLayout
        actions = findViewById(R.id.actions) as LinearLayout
        bodyBinder = Binder(this, body) { on(it) }
        barBinder = Binder(this, actions, bar = true) { on(it) }
        (findViewById(R.id.language) as Button).setOnClickListener {
            app.switchLanguage()
            recreate()
        }
    }

    /** The keys of the screen objects this Activity made (ScreenStore): forgotten when it finishes. */
    protected val owned: MutableSet<String> = java.util.Collections.synchronizedSet(mutableSetOf())

    override fun onDestroy() {
        super.onDestroy()
        if (isFinishing && owned.isNotEmpty()) {
            val keys = synchronized(owned) { owned.toList() }
            app.background({ keys.forEach { app.screens.drop(it) } }) {}
        }
    }

    /** The screen object of [key], made by [make] on the core thread the first time; owned here. */
    protected fun <T : Any> screenOf(key: String, make: () -> T): T {
        owned += key
        return app.screens.get(key, make)
    }

    /** What the volunteer did on a widget of the page. */
    protected abstract fun on(input: Input)

    /** Draws a page: only what changed since the last one is redrawn (Binder). */
    protected fun show(page: Page) {
        (findViewById(R.id.title) as TextView).text = page.title
        bodyBinder.bind(page.body)
        barBinder.bind(page.bar)
    }

    /**
     * Leaving a screen: a one-off sync job runs as soon as there is a network. It never stops a
     * sync already running or scheduled (SyncJobService.soon).
     */
    override fun onPause() {
        super.onPause()
        if (app.enrolled) SyncJobService.soon(this)
    }

    /** A core call's outcome: its value, or the failure with the core's sentence for it. */
    private sealed class Outcome<T> {
        class Done<T>(val value: T) : Outcome<T>()
        class Failed<T>(val error: GocuaException, val text: String) : Outcome<T>()
    }

    /**
     * Runs a core call off the UI thread; a failure is shown in the core's words (`errorText`,
     * also asked off the UI thread).
     */
    protected fun <T> core(work: () -> T, on: java.util.concurrent.ExecutorService = app.io, done: (T) -> Unit) {
        val lang = app.lang
        app.background({
            try { Outcome.Done(work()) } catch (e: GocuaException) { Outcome.Failed<T>(e, errorText(e, lang)) }
        }, on) { r ->
            if (isDestroyed) return@background
            r.onSuccess { o ->
                when (o) {
                    is Outcome.Done -> done(o.value)
                    is Outcome.Failed -> showError(o.error, o.text)
                }
            }.onFailure { showError(it, null) }
        }
    }

    /** Shows a failure: the screen lock asked for when the key waits for it, else [text]. */
    protected fun showError(e: Throwable, text: String?) {
        if (e is GocuaException.KeyStore) {
            val failure = app.keys.lastFailure
            if (AppLock.asksForUnlock(failure) && askForScreenLock()) return
            if (failure == AppLock.KeyFailure.KEY_INVALIDATED) {
                // The key is gone for good (screen lock removed): the only way on is a new enrolment.
                AlertDialog.Builder(this).setTitle(R.string.error_title).setMessage(caption(AppLock.message(failure)!!))
                    .setCancelable(false)
                    .setPositiveButton(R.string.enrol_title) { _, _ ->
                        app.enrolled = false
                        startActivity(Intent(this, EnrolActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TASK))
                    }.show()
                return
            }
            AppLock.message(failure)?.let { name ->
                AlertDialog.Builder(this).setTitle(R.string.error_title).setMessage(caption(name)).setPositiveButton(R.string.ok, null).show()
                return
            }
        }
        AlertDialog.Builder(this).setTitle(R.string.error_title).setMessage(text ?: getString(R.string.error_unexpected))
            .setPositiveButton(R.string.ok, null).show()
    }

    /**
     * The register's key waits for the screen lock (AppLock): the system's own screen asks for the
     * PIN, pattern or password; once confirmed the screen starts again and reopens the register.
     */
    private fun askForScreenLock(): Boolean {
        if (askingForUnlock) return true
        val km = getSystemService(KEYGUARD_SERVICE) as KeyguardManager
        @Suppress("DEPRECATION")
        val intent = km.createConfirmDeviceCredentialIntent(getString(R.string.app_name), getString(R.string.lock_confirm))
            ?: return false // no secure lock screen any more: the caller says why
        askingForUnlock = true
        @Suppress("DEPRECATION")
        startActivityForResult(intent, REQUEST_UNLOCK)
        return true
    }

    private var askingForUnlock = false

    @Deprecated("Activity result API of the framework (no androidx)")
    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        @Suppress("DEPRECATION")
        super.onActivityResult(requestCode, resultCode, data)
        if (requestCode == REQUEST_UNLOCK) {
            askingForUnlock = false
            if (resultCode == RESULT_OK) recreate() else finish()
        }
    }

    protected fun open(activity: Class<*>, household: String? = null, member: String? = null) {
        val i = Intent(this, activity)
        household?.let { i.putExtra(EXTRA_HOUSEHOLD, it) }
        member?.let { i.putExtra(EXTRA_MEMBER, it) }
        startActivity(i)
    }

    companion object {
        const val REQUEST_UNLOCK = 7701
        const val EXTRA_HOUSEHOLD = "household"
        const val EXTRA_MEMBER = "member"

        /** Every caption a page may name, checked by the compiler against res/values. */
        private val CAPTIONS: Map<String, Int> = mapOf(
            "paste" to R.string.paste,
            "search" to R.string.search,
            "name" to R.string.name,
            "phone" to R.string.phone,
            "id_number" to R.string.id_number,
            "check" to R.string.check,
            "register" to R.string.register,
            "sync" to R.string.sync,
            "bundles" to R.string.bundles,
            "sealed_bundles" to R.string.sealed_bundles,
            "carried_bundles" to R.string.carried_bundles,
            "confirm_handed" to R.string.confirm_handed,
            "hand_household" to R.string.hand_household,
            "hand_to" to R.string.hand_to,
            "edit" to R.string.edit,
            "remove" to R.string.remove,
            "remove_confirm" to R.string.remove_confirm,
            "consent" to R.string.consent,
            "checklist" to R.string.checklist,
            "members" to R.string.members,
            "visit" to R.string.visit,
            "conflicts" to R.string.conflicts,
            "corrections" to R.string.corrections,
            "share" to R.string.share,
            "card_share" to R.string.card_share,
            "cancel_sync" to R.string.cancel_sync,
            "done" to R.string.done,
            "error_unexpected" to R.string.error_unexpected,
            "ok" to R.string.ok,
            "cancel" to R.string.cancel,
            "lock_none" to R.string.lock_none,
            "lock_confirm" to R.string.lock_confirm,
            "lock_invalidated" to R.string.lock_invalidated,
        )
    }
}
