/* fuzz_escpos.c - the printer's real-time status replies (firmware/core/escpos.h): what
 * a printer, a broken cable or a device that is no printer at all sends back after DLE
 * EOT n. The input is a list of records: one byte whose value mod 6 is n (0 and 5 are
 * out of range on purpose), one byte whose value mod 16 is a length, then that many
 * reply bytes (fewer at the end of the input).
 * Invariants: a reply is accepted only for n 1-4 and only if one of its bytes has the
 * fixed bits (bit 1 and 4 set, 0 and 7 clear); only an accepted reply marks n as
 * answered; the state is "no answer" exactly while one of the four replies is missing,
 * and always has a name. */
#include "fuzz.h"

#include "core/escpos.h"

#include <errno.h>
#include <stdbool.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct escpos_status st = {0};
    size_t i = 0;
    while (i + 2 <= size) {
        int n = data[i] % 6;
        size_t len = data[i + 1] % 16;
        i += 2;
        if (len > size - i)
            len = size - i;
        bool any = false;
        for (size_t k = 0; k < len; k++)
            any = any || (data[i + k] & 0x93) == 0x12;
        uint8_t before = st.have;
        int r = escpos_status_scan(n, data + i, len, &st);
        if (n < 1 || n > 4) {
            FUZZ_CHECK(r == -EINVAL && st.have == before);
        } else if (any) {
            FUZZ_CHECK(r == 0 && (st.have & (1u << (n - 1))));
        } else {
            FUZZ_CHECK(r == -EAGAIN && st.have == before);
        }
        FUZZ_CHECK((st.have & ~0x0fu) == 0);
        enum escpos_state s = escpos_status_state(&st);
        FUZZ_CHECK((s == ESCPOS_NO_ANSWER) == (st.have != 0x0f));
        FUZZ_CHECK(escpos_state_name(s)[0]);
        i += len;
    }
    return 0;
}
