package vn.gocua.app

import android.Manifest
import android.content.Intent
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationListener
import android.location.LocationManager
import android.net.Uri
import android.os.Bundle
import android.provider.Settings
import java.io.File
import java.time.Instant
import vn.gocua.app.logic.FormDraft
import vn.gocua.app.logic.HouseholdFormUi
import vn.gocua.app.logic.Input
import vn.gocua.app.logic.LocationPermission
import vn.gocua.app.logic.Widgets
import vn.gocua.core.GpsFix
import vn.gocua.core.GpsSource
import vn.gocua.core.HouseholdFormEvent
import vn.gocua.core.HouseholdFormScreen
import vn.gocua.core.HouseholdFormView
import vn.gocua.core.LocationAnswer

/**
 * Register a household: the core's HouseholdFormScreen drawn as it is (hamlet picker, address,
 * position in words, warnings accepted explicitly). The platform's part: the location (permission,
 * LocationManager; each fix handed to the core as a GpsFix, and each answer of the permission or
 * the location service as a LocationAnswer, which the core puts into words; a fix redraws only
 * what changed, never the field being typed) and the draft: the events sent, kept in no_backup/ and replayed into a new
 * form when the volunteer comes back (FormDraft). Once saved, the members screen follows.
 */
class HouseholdFormActivity : Screen() {
    private val draftFile get() = File(noBackupFilesDir, "household-draft.txt")
    private var listener: LocationListener? = null
    private var last: HouseholdFormView? = null

    /** The form, made once and kept by the app; a new one replays the draft left on disk. */
    private fun screen(): HouseholdFormScreen = screenOf(KEY) {
        HouseholdFormScreen(app.register(), null).also { s -> draft().replay { s.send(it) } }
    }

    /** Called on the core thread only (it reads the draft file the first time). */
    private fun draft(): FormDraft = app.screens.get(DRAFT) {
        FormDraft.decode(if (draftFile.exists()) draftFile.readText() else "")
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        core({ screen().view() }) { render(it) }
    }

    override fun onPause() {
        super.onPause()
        stopLocating()
    }

    private fun render(v: HouseholdFormView) {
        last = v
        val saved = v.saved
        if (saved != null) {
            core({
                draftFile.delete()
                app.screens.drop(KEY)
                app.screens.drop(DRAFT)
            }) {
                open(MembersActivity::class.java, household = saved)
                finish()
            }
            return
        }
        show(HouseholdFormUi.page(v))
    }

    private fun send(e: HouseholdFormEvent) = core({
        val s = screen()
        if (e is HouseholdFormEvent.Set) {
            val d = draft()
            d.record(e)
            draftFile.writeText(d.encode())
        }
        s.send(e)
    }) { render(it) }

    override fun on(input: Input) {
        when {
            input is Input.Pressed && input.key == Widgets.ACTION + "locate" -> locate()
            input is Input.Pressed && input.key == Widgets.ACTION + "open_settings" ->
                startActivity(Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS, Uri.fromParts("package", packageName, null)))
            else -> {
                if (input is Input.Pressed && input.key == Widgets.ACTION + "clear_gps") stopLocating()
                HouseholdFormUi.event(input)?.let { send(it) }
            }
        }
    }

    private fun granted(p: String) = checkSelfPermission(p) == PackageManager.PERMISSION_GRANTED

    /** Precise and approximate location are asked for together (Android 12+ offers either). */
    private fun locate() {
        if (!granted(Manifest.permission.ACCESS_FINE_LOCATION) && !granted(Manifest.permission.ACCESS_COARSE_LOCATION)) {
            requestPermissions(arrayOf(Manifest.permission.ACCESS_FINE_LOCATION, Manifest.permission.ACCESS_COARSE_LOCATION), REQUEST_LOCATION)
            return
        }
        startLocating(precise = granted(Manifest.permission.ACCESS_FINE_LOCATION))
    }

    override fun onRequestPermissionsResult(requestCode: Int, permissions: Array<out String>, grantResults: IntArray) {
        super.onRequestPermissionsResult(requestCode, permissions, grantResults)
        if (requestCode != REQUEST_LOCATION) return
        fun answered(p: String) = permissions.indices.any { permissions[it] == p && grantResults.getOrNull(it) == PackageManager.PERMISSION_GRANTED }
        val answer = LocationPermission.afterRequest(
            fine = answered(Manifest.permission.ACCESS_FINE_LOCATION),
            coarse = answered(Manifest.permission.ACCESS_COARSE_LOCATION),
            // false after "don't ask again" (or when a policy forbids asking): only Settings can grant it
            canAskAgain = shouldShowRequestPermissionRationale(Manifest.permission.ACCESS_FINE_LOCATION),
        )
        send(HouseholdFormEvent.Location(answer))
        when (answer) {
            LocationAnswer.PRECISE -> startLocating(precise = true)
            LocationAnswer.APPROXIMATE -> startLocating(precise = false)
            else -> Unit
        }
    }

    @Suppress("MissingPermission")
    private fun startLocating(precise: Boolean) {
        val lm = getSystemService(LOCATION_SERVICE) as LocationManager
        val provider = if (precise) LocationManager.GPS_PROVIDER else LocationManager.NETWORK_PROVIDER
        if (!lm.isProviderEnabled(provider)) {
            send(HouseholdFormEvent.Location(LocationAnswer.SERVICE_OFF))
            return
        }
        stopLocating()
        val l = object : LocationListener {
            override fun onLocationChanged(loc: Location) {
                // The core says what the fix is worth (accuracy, outside Vietnam, far away).
                send(HouseholdFormEvent.Gps(GpsFix(loc.latitude, loc.longitude, loc.accuracy.toDouble(), Instant.ofEpochMilli(loc.time), GpsSource.FIX)))
                if (loc.accuracy <= 20f) stopLocating() // a platform choice: stop draining the battery
            }
            @Deprecated("API 23") override fun onStatusChanged(p: String?, s: Int, b: Bundle?) {}
            override fun onProviderEnabled(p: String) {}
            override fun onProviderDisabled(p: String) { send(HouseholdFormEvent.Location(LocationAnswer.SERVICE_OFF)) }
        }
        listener = l
        lm.requestLocationUpdates(provider, 1000L, 0f, l)
    }

    private fun stopLocating() {
        listener?.let { (getSystemService(LOCATION_SERVICE) as LocationManager).removeUpdates(it) }
        listener = null
    }

    private companion object {
        const val REQUEST_LOCATION = 1
        const val KEY = "form"
        const val DRAFT = "form:draft"
    }
}
