"""escpos_stream.py - reads an ESC/POS byte stream the way a printer does, for the
printer simulator and the slip decoder (tests/printer). Written from the commands'
definitions (docs/printer.md), not from the firmware's encoder, so a wrong length or a
wrong command in the firmware shows up here as a stream that does not parse.

Commands understood: ESC @, ESC d n, GS V m [n], GS v 0 m xL xH yL yH d..., DLE EOT n.
Anything else is an error: the kiosk sends nothing else."""


class StreamError(Exception):
    pass


class Reader:
    """Feed bytes in any pieces; calls on_status(n) for DLE EOT n and collects raster
    bands as (width_dots, rows: list of bytes). self.cuts counts GS V."""

    def __init__(self, on_status=None):
        self.buf = bytearray()
        self.on_status = on_status or (lambda n: None)
        self.bands = []
        self.cuts = 0
        self.inits = 0
        self.raster_bytes = 0
        self.printed = bytearray()   # every command but the status requests, as received

    def _take(self, n):
        self.printed += self.buf[:n]
        del self.buf[:n]

    def feed(self, data):
        self.buf += data
        while self._step():
            pass

    def _step(self):
        b = self.buf
        if not b:
            return False
        c = b[0]
        if c == 0x10:
            if len(b) < 3:
                return False
            if b[1] != 0x04 or not 1 <= b[2] <= 4:
                raise StreamError("DLE %02x %02x is not DLE EOT 1-4" % (b[1], b[2]))
            n = b[2]
            del b[:3]
            self.on_status(n)
            return True
        if c == 0x1B:
            if len(b) < 2:
                return False
            if b[1] == ord('@'):
                self._take(2)
                self.inits += 1
                return True
            if b[1] == ord('d'):
                if len(b) < 3:
                    return False
                self._take(3)
                return True
            raise StreamError("ESC %02x unknown" % b[1])
        if c == 0x1D:
            if len(b) < 2:
                return False
            if b[1] == ord('V'):
                if len(b) < 3:
                    return False
                m = b[2]
                size = 4 if m in (65, 66, 97, 98, 103, 104) else 3
                if len(b) < size:
                    return False
                self._take(size)
                self.cuts += 1
                return True
            if b[1] == ord('v'):
                if len(b) < 8:
                    return False
                if b[2] not in (0, ord('0')) or b[3] not in (0, 1, 2, 3, 48, 49, 50, 51):
                    raise StreamError("GS v %02x %02x is not GS v 0" % (b[2], b[3]))
                xb = b[4] | b[5] << 8
                h = b[6] | b[7] << 8
                if xb == 0 or h == 0:
                    raise StreamError("GS v 0 of %d x %d" % (xb, h))
                if len(b) < 8 + xb * h:
                    return False
                data = bytes(b[8:8 + xb * h])
                self._take(8 + xb * h)
                self.bands.append((xb * 8, [data[i * xb:(i + 1) * xb] for i in range(h)]))
                self.raster_bytes += xb * h
                return True
            raise StreamError("GS %02x unknown" % b[1])
        raise StreamError("byte %02x outside a command" % c)
