/**
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys in the key text format of
 * golang.org/x/mod/sumdb/note.
 *
 * <p>Parse with {@link dev.warden.ledger.note.Note#parse(String)}, then trust the text only as
 * returned by {@link dev.warden.ledger.note.Note#verify(java.util.Collection)}. Sign with
 * {@link dev.warden.ledger.note.Note#sign(String, dev.warden.ledger.note.SignerKey...)}.
 *
 * <p>Not done here, on purpose: signature types other than Ed25519 ({@code 0x01}), such as
 * tlog-cosignature ({@code 0x04}), which belong to the code that needs them; adding signatures
 * to an already-signed note; and any leniency towards non-canonical base64 or upper-case key
 * IDs, so that parsing and encoding give back the same text.
 */
package dev.warden.ledger.note;
