/**
 * Secret values the test harness hands out (storage account keys of the fake's Azurite, …): the CLI must
 * never print or store any of them. test/helpers/cli.ts checks every run against this list, the
 * secrets in the environment the run was given, and the shapes of SAS signatures, tokens and keys.
 */
const secrets = new Set<string>()

/** Remember a value no CLI output or archived file may hold (values under 8 characters are ignored). */
export function registerTestSecret(value: string | undefined): void {
  if (value && value.length >= 8) secrets.add(value)
}

export function knownTestSecrets(): string[] {
  return [...secrets]
}
