// Besides the sources, the files a build depends on: when one is newer than dist/.stamp, the build
// is stale. Read by scripts/prepare.mjs and, through scripts/build.mjs, by the CLI's loader.
export const BUILD_INPUTS = ['package-lock.json', 'scripts/build.mjs', 'scripts/build-inputs.mjs', 'scripts/cli-loader.cjs'];
