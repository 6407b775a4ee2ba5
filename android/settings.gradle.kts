// The Android app of gocua, for Android Studio. Not run in CI (no Google Maven there): CI
// type-checks the Kotlin and resources with scripts/test-android.sh instead.
pluginManagement {
    repositories { google(); mavenCentral(); gradlePluginPortal() }
}
dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories { google(); mavenCentral() }
}
rootProject.name = "gocua-android"
include(":app")
