package vn.gocua.app

import android.app.KeyguardManager
import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.UserNotAuthenticatedException
import java.io.File
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import vn.gocua.app.logic.AppLock
import vn.gocua.core.GocuaException
import vn.gocua.core.PlatformKeyStore

/**
 * The register's key store on Android: an AES-256 key created in the Android Keystore (it never
 * leaves it) wraps, with AES-GCM, each key the core asks to keep (the random database key). The
 * wrapped bytes live in the app's private files (`no_backup/keys/`). Errors carry no key material.
 *
 * App lock: the wrapping key needs the phone's screen lock (setUserAuthenticationRequired): it
 * can be used for [AppLock.VALIDITY_SECONDS] after the phone was unlocked (or the lock confirmed
 * in the app, KeyguardManager.createConfirmDeviceCredentialIntent). Android cannot create such a
 * key on a phone without a secure lock screen, and erases it if the lock screen is removed: the
 * register can then no longer be opened (synced households come back by enrolling again).
 * [lastFailure] tells the screens why the last call failed, so they can ask for the screen lock.
 */
class KeystoreKeys(context: Context) : PlatformKeyStore {
    private val dir = File(context.noBackupFilesDir, "keys").apply { mkdirs() }
    private val keyguard = context.getSystemService(Context.KEYGUARD_SERVICE) as KeyguardManager

    @Volatile var lastFailure: AppLock.KeyFailure = AppLock.KeyFailure.NONE
        private set

    /** A secure lock screen (PIN, pattern, password) is set: the register's key can exist. */
    val deviceSecure: Boolean get() = keyguard.isDeviceSecure

    /** Forgets the wrapping key (a new enrolment creates a new one, with the current rules). */
    fun reset() = guard("reset") {
        val ks = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }
        if (ks.containsAlias(ALIAS)) ks.deleteEntry(ALIAS)
        dir.listFiles()?.forEach { it.delete() }
        Unit
    }

    private fun file(name: String) = File(dir, name.replace(Regex("[^A-Za-z0-9._-]"), "_") + ".wrapped")

    private fun wrappingKey(): SecretKey {
        val ks = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }
        (ks.getKey(ALIAS, null) as? SecretKey)?.let { return it }
        val gen = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, "AndroidKeyStore")
        gen.init(
            KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .setUserAuthenticationRequired(true)
                .setUserAuthenticationValidityDurationSeconds(AppLock.VALIDITY_SECONDS)
                .build(),
        )
        return gen.generateKey()
    }

    private inline fun <T> guard(what: String, body: () -> T): T = try {
        body().also { lastFailure = AppLock.KeyFailure.NONE }
    } catch (e: GocuaException) {
        throw e
    } catch (e: Exception) {
        lastFailure = when {
            e is UserNotAuthenticatedException -> AppLock.KeyFailure.NEEDS_UNLOCK
            e is KeyPermanentlyInvalidatedException -> AppLock.KeyFailure.KEY_INVALIDATED
            !keyguard.isDeviceSecure -> AppLock.KeyFailure.NO_SCREEN_LOCK
            else -> AppLock.KeyFailure.OTHER
        }
        throw GocuaException.KeyStore("Android Keystore: $what (${e.javaClass.simpleName})")
    }

    override fun load(name: String): ByteArray? = guard("load") {
        val f = file(name)
        if (!f.exists()) return@guard null
        val bytes = f.readBytes()
        val iv = bytes.copyOfRange(0, IV)
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, wrappingKey(), GCMParameterSpec(128, iv))
        cipher.doFinal(bytes, IV, bytes.size - IV)
    }

    override fun save(name: String, key: ByteArray) = guard("save") {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, wrappingKey())
        val iv = cipher.iv
        check(iv.size == IV)
        val tmp = File(dir, file(name).name + ".tmp")
        tmp.writeBytes(iv + cipher.doFinal(key))
        if (!tmp.renameTo(file(name))) throw IllegalStateException("rename")
    }

    override fun delete(name: String) = guard("delete") {
        file(name).delete()
        Unit
    }

    companion object {
        private const val ALIAS = "gocua-register-wrap"
        private const val TRANSFORMATION = "AES/GCM/NoPadding"
        private const val IV = 12
    }
}
