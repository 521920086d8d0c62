/* usb_tool.h - kiosk-sync's USB commands (sync/README.md, "USB sticks"):
 *
 *   usb-import DIR      install the newest valid bundle on the stick mounted at DIR
 *   usb-export DIR      write the sealed outbox to DIR/hallkiosk-export/<kiosk_id>/
 *   usb-busy PID [STEP] mark work_dir/usb-busy for the process PID (kiosk-usb.sh)
 *
 * Staff words on stdout (one line per file, from usb-messages.tsv), technical lines on
 * stderr, the summary in work_dir/usb-last.json. Each returns kiosk-sync's exit code
 * (agent.h). */
#ifndef KIOSK_USB_TOOL_H
#define KIOSK_USB_TOOL_H

#include "core/config.h"

int usb_tool_import(const struct kiosk_config *cfg, const char *kiosk_version, const char *dir);
int usb_tool_export(const struct kiosk_config *cfg, const char *dir);
int usb_tool_busy(const struct kiosk_config *cfg, const char *pid, const char *step);

#endif
