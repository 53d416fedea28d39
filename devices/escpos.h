/* ESC/POS receipts for thermal printers: scorecards and fair-scale (公平秤)
 * tickets.  A receipt is built in memory, then written to a file or sent to
 * a printer on a serial port.  Text is given in UTF-8 and sent in GB18030
 * (iconv), the encoding Chinese receipt printers use in their Chinese mode
 * (FS &, sent by escpos_new).
 *
 *   struct escpos *e = escpos_new();
 *   escpos_align(e, ESCPOS_CENTER);
 *   escpos_size(e, 2, 2); escpos_line(e, "诚信计量示范摊位"); escpos_size(e, 1, 1);
 *   escpos_bold(e, true); escpos_line(e, "Score 92"); escpos_bold(e, false);
 *   escpos_qr(e, "https://example/stall/A-017", 6);
 *   escpos_cut(e);
 *   escpos_write_file(e, "ticket.bin") or escpos_send(e, "/dev/ttyUSB0", "9600/8n1");
 *
 * escpos_decode() reads such bytes back as marked-up UTF-8 text, for tests
 * and for `--receipt` previews. */
#ifndef STALLCHECK_DEVICES_ESCPOS_H
#define STALLCHECK_DEVICES_ESCPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum escpos_align { ESCPOS_LEFT, ESCPOS_CENTER, ESCPOS_RIGHT };

struct escpos;

/* A new receipt, starting with ESC @ (initialise) and FS & (Chinese mode).
 * NULL when out of memory. */
struct escpos *escpos_new(void);
void escpos_free(struct escpos *e);

/* Text in UTF-8, sent in GB18030.  SC_ERR_PARSE when the text is not valid
 * UTF-8 or has a character GB18030 lacks (none should), with the offset. */
int escpos_text(struct escpos *e, const char *utf8);
/* The same followed by LF. */
int escpos_line(struct escpos *e, const char *utf8);
int escpos_bold(struct escpos *e, bool on);          /* ESC E n */
int escpos_underline(struct escpos *e, bool on);     /* ESC - n */
/* Character size, 1..8 times in each direction (GS ! n). */
int escpos_size(struct escpos *e, int width, int height);
int escpos_align(struct escpos *e, enum escpos_align align);  /* ESC a n */
/* Feeds n lines (ESC d n). */
int escpos_feed(struct escpos *e, int lines);
/* A QR code (GS ( k: model 2, module size 1..16, error correction M, store,
 * print).  SC_ERR_RANGE when data is longer than 7089 bytes. */
int escpos_qr(struct escpos *e, const char *data, int module_size);
/* Feeds past the cutter and cuts, partial cut (GS V 66 n). */
int escpos_cut(struct escpos *e);
/* Raw bytes, for a command not wrapped above. */
int escpos_raw(struct escpos *e, const uint8_t *bytes, size_t len);

const uint8_t *escpos_bytes(const struct escpos *e, size_t *len);

/* Writes the bytes to a file (atomically: temp file + rename). */
int escpos_write_file(const struct escpos *e, const char *path);
/* Sends the bytes to a printer on a serial port (or tcp-raw/HOST/PORT, the
 * usual port 9100 printers), serialcomm as "9600/8n1" (NULL: 9600/8n1). */
int escpos_send(const struct escpos *e, const char *conn, const char *serialcomm);

/* Reads ESC/POS bytes back as UTF-8 text with the commands as marks:
 * "[init]", "[cjk]", "[bold]" / "[/bold]", "[underline]" / "[/underline]",
 * "[size WxH]", "[left]" / "[center]" / "[right]", "[feed N]",
 * "[qr DATA]", "[cut]"; LF stays a newline.  *out is malloc'd, NUL-ended.
 * SC_ERR_PARSE on a truncated or unknown command, with the offset. */
int escpos_decode(const uint8_t *bytes, size_t len, char **out);

#endif
