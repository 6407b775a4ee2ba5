package vn.gocua.app

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import java.io.File
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import vn.gocua.core.GocuaException
import vn.gocua.core.PlatformKeyStore

/**
 * The register's key store on Android: an AES-256 key created in the Android Keystore (it never
 * leaves it) wraps, with AES-GCM, each key the core asks to keep (the random database key). The
 * wrapped bytes live in the app's private files (`no_backup/keys/`). Errors carry no key material.
 */
class KeystoreKeys(context: Context) : PlatformKeyStore {
    private val dir = File(context.noBackupFilesDir, "keys").apply { mkdirs() }

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
                .build(),
        )
        return gen.generateKey()
    }

    private inline fun <T> guard(what: String, body: () -> T): T = try {
        body()
    } catch (e: GocuaException) {
        throw e
    } catch (e: Exception) {
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
