package vn.gocua.app

import android.content.ContentProvider
import android.content.ContentValues
import android.content.Context
import android.database.Cursor
import android.database.MatrixCursor
import android.net.Uri
import android.os.ParcelFileDescriptor
import android.provider.OpenableColumns
import java.io.File

/**
 * The sealed bundle files this app shares (platform adapter, no androidx): written to the app's
 * cache, served read-only to the app the volunteer shares them with (a messenger, Bluetooth, a
 * file manager), for as long as it was granted the URI. The files are sealed: only the hub, or
 * the phone an answer is for, can open them.
 */
class BundleFiles : ContentProvider() {
    override fun onCreate() = true

    /** A file of the bundles folder itself, never one outside it ("..", links). */
    private fun fileOf(uri: Uri): File? {
        val name = uri.lastPathSegment ?: return null
        val dir = dir(context ?: return null).canonicalFile
        val f = File(dir, name).canonicalFile
        return if (f.parentFile == dir && f.isFile) f else null
    }

    override fun openFile(uri: Uri, mode: String): ParcelFileDescriptor? {
        if (mode != "r") throw SecurityException("read only")
        val f = fileOf(uri) ?: throw java.io.FileNotFoundException(uri.toString())
        return ParcelFileDescriptor.open(f, ParcelFileDescriptor.MODE_READ_ONLY)
    }

    override fun getType(uri: Uri): String = MIME

    override fun query(uri: Uri, projection: Array<out String>?, selection: String?, args: Array<out String>?, sort: String?): Cursor? {
        val f = fileOf(uri) ?: return null
        return MatrixCursor(arrayOf(OpenableColumns.DISPLAY_NAME, OpenableColumns.SIZE)).apply { addRow(arrayOf<Any>(f.name, f.length())) }
    }

    override fun insert(uri: Uri, values: ContentValues?): Uri? = null
    override fun delete(uri: Uri, selection: String?, args: Array<out String>?) = 0
    override fun update(uri: Uri, values: ContentValues?, selection: String?, args: Array<out String>?) = 0

    companion object {
        const val AUTHORITY = "vn.gocua.app.bundles"
        const val MIME = "application/x-gocua-bundle"

        fun dir(context: Context): File = File(context.cacheDir, "bundles").apply { mkdirs() }

        /** Writes a sealed file under the core's name; its content URI to share. */
        fun write(context: Context, name: String, bytes: ByteArray): Uri {
            val f = File(dir(context), name)
            f.writeBytes(bytes)
            return Uri.parse("content://$AUTHORITY/$name")
        }
    }
}
