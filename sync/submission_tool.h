/* submission_tool.h - the kiosk-bundle subcommands of the sealed outbox: keygen (the
 * office's signing and sealing key pairs) and open-submission (read what visitors
 * submitted, with the sealing secret key). kiosk_bundle.c lists them in its command
 * table; each returns the exit status: 0 done, 1 the work failed (one line on stderr
 * per failure), 2 a usage error. */
#ifndef KIOSK_SUBMISSION_TOOL_H
#define KIOSK_SUBMISSION_TOOL_H

int submission_tool_keygen(int argc, char **argv);
int submission_tool_open(int argc, char **argv);
/* open-export: checks a kiosk's USB export folder (sync/usb.h: index.json, every file
 * present and unaltered, nothing unlisted) and only then prints every submission. */
int submission_tool_open_export(int argc, char **argv);

#endif
