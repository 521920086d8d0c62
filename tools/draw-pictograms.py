#!/usr/bin/python3
"""draw-pictograms.py REPO - draws the kiosk's pictograms: monochrome line art that a
person who reads poorly can recognise, shown beside the words (issue 15). Needs
python3-pil. Writes, under the repository REPO:

  assets/pictograms/<tile>.png           the home tiles (firmware assets, compiled in)
  assets/content/images/icon-<icon>.png  the categories (categories.json's "icon")
  assets/content/images/step-<name>.png  the one-thing steps (a step's "image")
  assets/content/images/onething-*.png   the one-thing lists' head pictures

Pictograms are alpha masks: 256 x 256, grey+alpha PNGs whose alpha is the drawing (the
grey is black so a file viewer shows them); the kiosk tints them with the theme's
colour, so one file serves all three themes. The head pictures are ordinary opaque
illustrations (a card of colour with the same line art), shown as they are.

Everything is drawn on a 100 x 100 grid at four times the size and scaled down, so the
edges are smooth. The output is deterministic: running it again gives the same files."""
import math
import os
import sys

from PIL import Image, ImageDraw

SIZE = 256
SS = 4                      # supersampling
K = SIZE * SS / 100.0       # grid unit -> pixels while drawing
W = 7                       # the stroke, in grid units


class Pic:
    """One drawing on the 100 x 100 grid, optionally moved and scaled (to compose)."""

    def __init__(self, d, ox=0.0, oy=0.0, s=1.0, ink=255, paper=0):
        self.d, self.ox, self.oy, self.s, self.ink, self.paper = d, ox, oy, s, ink, paper

    def sub(self, x, y, s):
        """a smaller drawing whose grid starts at x, y and is s times the size"""
        return Pic(self.d, self.ox + x * self.s, self.oy + y * self.s, self.s * s, self.ink, self.paper)

    def p(self, x, y):
        return ((self.ox + x * self.s) * K, (self.oy + y * self.s) * K)

    def w(self, width=W):
        return max(1, int(round(width * self.s * K)))

    def line(self, *pts, width=W):
        q = [self.p(x, y) for x, y in pts]
        self.d.line(q, fill=self.ink, width=self.w(width), joint="curve")
        r = self.w(width) / 2
        for x, y in (q[0], q[-1]):  # round caps
            self.d.ellipse((x - r, y - r, x + r, y + r), fill=self.ink)

    def poly(self, *pts, width=W):
        self.line(*pts, pts[0], width=width)

    def fill(self, *pts):
        self.d.polygon([self.p(x, y) for x, y in pts], fill=self.ink)

    def rect(self, x0, y0, x1, y1, r=4, width=W, fill=False):
        a, b = self.p(x0, y0), self.p(x1, y1)
        self.d.rounded_rectangle((a, b), radius=r * self.s * K, outline=self.ink,
                                 width=self.w(width), fill=self.ink if fill else None)

    def clear(self, x0, y0, x1, y1, r=0):
        """paints paper: for a shape that sits in front of another"""
        a, b = self.p(x0, y0), self.p(x1, y1)
        self.d.rounded_rectangle((a, b), radius=r * self.s * K, fill=self.paper)

    def clear_circle(self, cx, cy, r):
        a, b = self.p(cx - r, cy - r), self.p(cx + r, cy + r)
        self.d.ellipse((a, b), fill=self.paper)

    def circle(self, cx, cy, r, width=W, fill=False):
        a, b = self.p(cx - r, cy - r), self.p(cx + r, cy + r)
        self.d.ellipse((a, b), outline=self.ink, width=self.w(width), fill=self.ink if fill else None)

    def arc(self, cx, cy, r, start, end, width=W):
        a, b = self.p(cx - r, cy - r), self.p(cx + r, cy + r)
        self.d.arc((a, b), start, end, fill=self.ink, width=self.w(width))
        rr = self.w(width) / 2
        for ang in (start, end):
            x = (self.ox + (cx + (r - width / 2) * math.cos(math.radians(ang))) * self.s) * K
            y = (self.oy + (cy + (r - width / 2) * math.sin(math.radians(ang))) * self.s) * K
            self.d.ellipse((x - rr, y - rr, x + rr, y + rr), fill=self.ink)

    def dot(self, cx, cy, r=4.5):
        self.circle(cx, cy, r, fill=True)


# ---- shapes shared by several pictograms ------------------------------------------

def person(p, cx=50, top=12, h=76):
    """a standing person: head and shoulders down to the waist"""
    s = h / 76.0
    p.circle(cx, top + 12 * s, 11 * s)
    p.line((cx - 24 * s, top + 76 * s), (cx - 24 * s, top + 48 * s), (cx - 14 * s, top + 34 * s),
           (cx + 14 * s, top + 34 * s), (cx + 24 * s, top + 48 * s), (cx + 24 * s, top + 76 * s))


def document(p, x0=22, y0=10, x1=78, y1=90, lines=3, fold=True):
    if fold:
        f = 14
        p.poly((x0, y0), (x1 - f, y0), (x1, y0 + f), (x1, y1), (x0, y1))
        p.line((x1 - f, y0), (x1 - f, y0 + f), (x1, y0 + f), width=W * 0.8)
    else:
        p.rect(x0, y0, x1, y1)
    for i in range(lines):
        y = y0 + 28 + i * 14
        if y < y1 - 8:
            p.line((x0 + 11, y), (x1 - 11 - (10 if i == lines - 1 else 0), y))


def house(p, x0=14, y0=14, x1=86, y1=86, door=True):
    mx = (x0 + x1) / 2
    roof = y0 + (y1 - y0) * 0.42
    p.line((x0, roof + 6), (mx, y0), (x1, roof + 6))
    p.line((x0 + 10, roof), (x0 + 10, y1), (x1 - 10, y1), (x1 - 10, roof))
    if door:
        dw = (x1 - x0) * 0.12
        p.line((mx - dw, y1), (mx - dw, y1 - (y1 - roof) * 0.55), (mx + dw, y1 - (y1 - roof) * 0.55), (mx + dw, y1))


def coin(p, cx, cy, r=18, mark=True):
    p.clear_circle(cx, cy, r + W)
    p.circle(cx, cy, r)
    if mark:  # a yuan sign
        k = r / 18.0
        p.line((cx - 7 * k, cy - 10 * k), (cx, cy - 1 * k), (cx + 7 * k, cy - 10 * k), width=W * 0.7)
        p.line((cx, cy - 1 * k), (cx, cy + 11 * k), width=W * 0.7)
        p.line((cx - 7 * k, cy + 3 * k), (cx + 7 * k, cy + 3 * k), width=W * 0.6)


def arrow(p, x0, y0, x1, y1, head=12):
    p.line((x0, y0), (x1, y1))
    a = math.atan2(y1 - y0, x1 - x0)
    for da in (2.5, -2.5):
        p.line((x1, y1), (x1 + head * math.cos(a + da), y1 + head * math.sin(a + da)))


def card(p, x0=10, y0=24, x1=90, y1=76, chip=True):
    p.rect(x0, y0, x1, y1, r=7)
    if chip:
        p.rect(x0 + 10, y0 + 12, x0 + 28, y0 + 27, r=2, width=W * 0.7)
    p.line((x0 + 38, y0 + 16), (x1 - 10, y0 + 16))
    p.line((x0 + 38, y0 + 30), (x1 - 20, y0 + 30))


def cross(p, cx, cy, r=10, width=W):
    p.line((cx - r, cy), (cx + r, cy), width=width)
    p.line((cx, cy - r), (cx, cy + r), width=width)


def shield(p, cx=50, top=10, h=80):
    k = h / 80.0
    p.poly((cx, top), (cx + 34 * k, top + 12 * k), (cx + 30 * k, top + 50 * k), (cx, top + 80 * k),
           (cx - 30 * k, top + 50 * k), (cx - 34 * k, top + 12 * k))


def check(p, x, y, s=1.0):
    p.line((x, y), (x + 8 * s, y + 8 * s), (x + 22 * s, y - 10 * s))


def baby(p, cx=50, cy=54, s=1.0):
    """a swaddled baby: a head and a wrapped body lying on its side"""
    p.circle(cx - 20 * s, cy - 6 * s, 14 * s)
    p.rect(cx - 8 * s, cy - 18 * s, cx + 36 * s, cy + 12 * s, r=14 * s)
    p.line((cx + 6 * s, cy - 16 * s), (cx + 16 * s, cy + 10 * s), width=W * 0.7)


def ring(p, cx, cy, r=17):
    p.circle(cx, cy, r)
    p.fill((cx - 7, cy - r - 2), (cx + 7, cy - r - 2), (cx, cy - r - 12))


def book(p, x0=10, y0=20, x1=90, y1=80):
    mx = (x0 + x1) / 2
    p.line((mx, y0 + 6), (mx, y1))
    p.line((mx, y0 + 6), (x0 + 12, y0), (x0, y0 + 4), (x0, y1 - 4), (x0 + 12, y1 - 8), (mx, y1))
    p.line((mx, y0 + 6), (x1 - 12, y0), (x1, y0 + 4), (x1, y1 - 4), (x1 - 12, y1 - 8), (mx, y1))


def stamp(p, cx=50, top=10, s=1.0):
    """a seal: a knob, a handle and the stamping block"""
    p.circle(cx, top + 10 * s, 10 * s)
    p.line((cx, top + 20 * s), (cx, top + 40 * s), width=W * 1.6)
    p.rect(cx - 28 * s, top + 40 * s, cx + 28 * s, top + 60 * s, r=4 * s)
    p.line((cx - 34 * s, top + 74 * s), (cx + 34 * s, top + 74 * s))


def tree(p, cx=50, top=8, s=1.0):
    p.circle(cx, top + 28 * s, 26 * s)
    p.circle(cx - 18 * s, top + 44 * s, 16 * s)
    p.circle(cx + 18 * s, top + 44 * s, 16 * s)
    p.clear(cx - 30 * s, top + 46 * s, cx + 30 * s, top + 62 * s)
    p.line((cx - 28 * s, top + 54 * s), (cx + 28 * s, top + 54 * s))
    p.line((cx, top + 30 * s), (cx, top + 86 * s))
    p.line((cx, top + 62 * s), (cx - 12 * s, top + 50 * s))
    p.line((cx, top + 70 * s), (cx + 12 * s, top + 58 * s))


def heart(p, cx=50, cy=52, s=1.0):
    p.line((cx, cy + 30 * s), (cx - 28 * s, cy + 2 * s))
    p.arc(cx - 15 * s, cy - 10 * s, 18 * s, 140, 360)
    p.arc(cx + 15 * s, cy - 10 * s, 18 * s, 180, 40)
    p.line((cx, cy + 30 * s), (cx + 28 * s, cy + 2 * s))


# ---- the pictograms ------------------------------------------------------------------

def t_guides(p):        # the service guides: an open book
    book(p, 8, 20, 92, 80)
    for y in (36, 50):
        p.line((20, y), (40, y + 3), width=W * 0.6)
        p.line((60, y + 3), (80, y), width=W * 0.6)


def t_onething(p):      # one thing, done once: a checklist
    p.rect(18, 8, 82, 92, r=6)
    p.rect(38, 2, 62, 14, r=3, fill=True)
    for i, y in enumerate((34, 56, 78)):
        check(p, 26, y - 4, 0.7)
        p.line((50, y), (72, y))


def t_disclosure(p):    # government information open to read: a document and an eye
    document(p, 16, 6, 72, 86, lines=2)
    p.clear(44, 52, 98, 96, r=10)
    p.arc(70, 90, 30, 220, 320, width=W * 0.9)
    p.arc(70, 58, 30, 40, 140, width=W * 0.9)
    p.circle(70, 74, 8, fill=True)


def t_search(p):        # a magnifying glass
    p.circle(42, 42, 26)
    p.line((61, 61), (86, 86), width=W * 1.5)


def t_request(p):       # ask for information: a form and a pen
    document(p, 12, 8, 66, 90, lines=3)
    p.clear(56, 22, 96, 96)
    p.poly((62, 82), (84, 34), (94, 40), (72, 88), (62, 92), width=W * 0.8)
    p.line((80, 42), (90, 48), width=W * 0.6)


def t_status(p):        # check progress: a clock
    p.circle(50, 50, 38)
    p.line((50, 28), (50, 50), (66, 60))


def t_feedback(p):      # rate the service: a smiling face
    p.circle(50, 50, 38)
    p.dot(37, 40)
    p.dot(63, 40)
    p.arc(50, 50, 24, 25, 155)


def t_consult(p):       # have your say: two speech bubbles
    p.rect(6, 10, 62, 52, r=10)
    p.fill((16, 50), (30, 50), (14, 64))
    p.clear(36, 34, 100, 84, r=12)
    p.rect(40, 38, 94, 78, r=10)
    p.fill((84, 76), (70, 76), (86, 92))
    for x in (56, 67, 78):
        p.dot(x, 58, 3.5)


def t_notices(p):       # announcements: a loudspeaker
    p.poly((12, 40), (28, 40), (62, 18), (62, 82), (28, 60), (12, 60))
    p.line((28, 40), (28, 60))
    p.line((34, 62), (40, 86))
    p.arc(62, 50, 20, -40, 40)
    p.arc(62, 50, 34, -40, 40)


def t_help(p):          # help: a question in a circle
    p.circle(50, 50, 40)
    p.arc(50, 38, 14, 180, 40)
    p.line((59, 47), (50, 54), (50, 62))
    p.dot(50, 75, 4.8)


def i_birth(p):         # birth and adoption: a baby in a cot
    baby(p, 48, 44, 1.0)
    p.line((10, 66), (90, 66))
    p.line((18, 66), (18, 88))
    p.line((82, 66), (82, 88))
    p.line((10, 40), (10, 88))
    p.line((90, 40), (90, 88))


def i_school(p):        # schooling: a mortarboard
    p.poly((50, 14), (94, 34), (50, 54), (6, 34))
    p.line((24, 44), (24, 66))
    p.arc(50, 56, 26, 10, 170)
    p.line((76, 44), (76, 66))
    p.line((88, 37), (88, 70))
    p.dot(88, 76, 5)


def i_work(p):          # work and jobs: a briefcase
    p.rect(8, 30, 92, 84, r=7)
    p.rect(36, 16, 64, 32, r=4)
    p.line((8, 52), (92, 52))
    p.rect(44, 46, 56, 60, r=2, fill=True)


def i_marriage(p):      # marriage: two rings
    ring(p, 34, 58, 26)
    ring(p, 66, 58, 26)


def i_housing(p):       # housing: a house
    house(p, 8, 10, 92, 88)
    p.rect(60, 58, 72, 70, r=1, width=W * 0.7)


def i_business(p):      # starting a business: a shop front with an awning
    p.line((10, 36), (18, 14), (82, 14), (90, 36))
    p.line((10, 36), (90, 36))
    for x in (30, 50, 70):
        p.arc(x - 10, 36, 10, 0, 180, width=W * 0.7)
    p.arc(80, 36, 10, 0, 180, width=W * 0.7)
    p.line((18, 50), (18, 88), (82, 88), (82, 50))
    p.line((40, 88), (40, 62), (60, 62), (60, 88))


def i_insurance(p):     # social insurance: a shield with a cross
    shield(p, 50, 8, 84)
    cross(p, 50, 44, 14)


def i_retire(p):        # retirement: an elderly person with a stick
    p.circle(44, 16, 10)
    p.line((44, 28), (48, 56), (36, 88))
    p.line((48, 56), (58, 88))
    p.line((46, 36), (66, 50))
    p.line((66, 50), (72, 88))
    p.arc(62, 50, 8, 180, 300, width=W * 0.8)


def i_residence(p):     # residence and household: the household register (hukou) book
    p.rect(18, 6, 82, 94, r=5)
    p.line((30, 6), (30, 94))
    house(p.sub(38, 24, 0.4), 0, 0, 100, 100, door=False)
    p.line((40, 74), (72, 74))


def i_forest(p):        # land, forests and farming: a tree
    tree(p, 50, 6, 1.0)
    p.line((14, 92), (86, 92))


def i_individual(p):    # for individuals: a person
    person(p, 50, 8, 84)


def i_dept(p):          # a department: a public building with columns
    p.poly((50, 8), (92, 30), (8, 30))
    for x in (22, 40, 60, 78):
        p.line((x, 40), (x, 76))
    p.line((8, 86), (92, 86))
    p.line((14, 30), (86, 30))


def s_medical_certificate(p):   # a birth medical certificate: a document with a cross
    document(p, 14, 8, 76, 92, lines=2)
    p.clear_circle(70, 70, 22)
    p.circle(70, 70, 18)
    cross(p, 70, 70, 9, width=W * 0.8)


def s_hukou(p):                 # the household register
    i_residence(p)


def s_hukou_move(p):            # move the household register: the book and an arrow
    p.rect(8, 12, 58, 88, r=5)
    p.line((18, 12), (18, 88))
    house(p.sub(24, 26, 0.32), 0, 0, 100, 100, door=False)
    arrow(p, 64, 50, 94, 50)


def s_medical_card(p):          # medical insurance: a card with a cross
    card(p, 6, 22, 94, 78, chip=False)
    p.clear(10, 30, 42, 70)
    cross(p, 26, 50, 12)


def s_ss_card(p):               # the social security card: a card with a chip and a person
    p.rect(6, 20, 94, 80, r=7)
    p.rect(16, 32, 34, 47, r=2, width=W * 0.7)
    p.line((16, 66), (46, 66))
    p.circle(70, 42, 8)
    p.line((56, 68), (58, 60), (82, 60), (84, 68))


def s_allowance(p):             # an allowance paid: coins
    coin(p, 62, 38, 22)
    coin(p, 38, 62, 22)


def s_licence(p):               # the business licence: a certificate with a seal mark
    p.rect(8, 14, 92, 86, r=3)
    p.rect(16, 22, 84, 78, r=2, width=W * 0.5)
    p.line((28, 40), (72, 40))
    p.line((28, 54), (56, 54))
    p.circle(68, 62, 9, width=W * 0.8)


def s_seal(p):                  # engraving the company seal
    stamp(p, 50, 8, 1.0)


def s_invoice(p):               # tax and invoices: a receipt with a yuan sign
    p.poly((18, 8), (82, 8), (82, 92), (72, 84), (62, 92), (50, 84), (38, 92), (28, 84), (18, 92))
    coin(p, 50, 42, 18)
    p.line((32, 72), (68, 72))


def s_staff_insurance(p):       # enrolling staff in social insurance: people and a shield
    person(p, 30, 22, 62)
    person(p, 62, 16, 68)
    p.clear(56, 44, 98, 98, r=6)
    shield(p, 78, 50, 44)


def s_housing_fund(p):          # the housing provident fund: a house with a coin
    house(p, 4, 8, 76, 80, door=False)
    coin(p, 70, 70, 20)


def s_loan(p):                  # a housing loan: a house and a hand of coins
    house(p, 4, 10, 66, 78, door=False)
    coin(p, 72, 46, 16)
    coin(p, 72, 78, 16)


def s_tax(p):                   # the deed tax: a document with a yuan sign
    document(p, 14, 8, 72, 90, lines=2)
    coin(p, 70, 70, 20)


def s_property(p):              # transferring a property: a house and a key
    house(p, 4, 6, 70, 70, door=False)
    p.clear_circle(66, 74, 24)
    p.circle(58, 76, 12)
    p.line((68, 70), (92, 58))
    p.line((84, 62), (88, 72))


def s_withdraw(p):              # taking money out of the fund: coins and an arrow out
    p.rect(8, 44, 66, 92, r=6)
    p.line((8, 58), (66, 58))
    coin(p, 37, 30, 18)
    arrow(p, 70, 70, 94, 46, head=10)


def s_health_check(p):          # the premarital health check: a heart with a pulse
    heart(p, 50, 48, 1.1)
    p.clear(12, 44, 88, 58)
    p.line((8, 51), (30, 51), (38, 38), (48, 64), (56, 46), (62, 51), (92, 51), width=W * 0.8)


def s_marriage(p):
    i_marriage(p)


def s_birth_reg(p):             # registering the birth: a baby and a document
    document(p, 40, 6, 92, 76, lines=2)
    p.clear(4, 52, 74, 98, r=10)
    baby(p, 40, 74, 0.85)


def s_pension(p):               # the pension: an elderly person and a coin
    i_retire(p.sub(-8, 0, 1.0))
    coin(p, 76, 70, 18)


def s_medical_transfer(p):      # moving medical insurance: a card with a cross and an arrow
    card(p, 4, 16, 72, 60, chip=False)
    p.clear(8, 22, 34, 54)
    cross(p, 21, 38, 9)
    arrow(p, 30, 80, 92, 80)


def s_qualify(p):               # the pension qualification: a certificate with a tick
    document(p, 14, 8, 76, 92, lines=2)
    p.clear_circle(70, 70, 24)
    p.circle(70, 70, 20)
    check(p, 60, 70, 0.75)


TILES = {"guides": t_guides, "onething": t_onething, "disclosure": t_disclosure,
         "search": t_search, "request": t_request, "status": t_status,
         "feedback": t_feedback, "consult": t_consult, "notices": t_notices, "help": t_help}
ICONS = {"birth": i_birth, "school": i_school, "work": i_work, "marriage": i_marriage,
         "housing": i_housing, "business": i_business, "insurance": i_insurance,
         "retire": i_retire, "residence": i_residence, "forest": i_forest,
         "individual": i_individual, "dept": i_dept}
STEPS = {"medical-certificate": s_medical_certificate, "hukou": s_hukou,
         "hukou-move": s_hukou_move, "medical-card": s_medical_card, "ss-card": s_ss_card,
         "allowance": s_allowance, "licence": s_licence, "seal": s_seal, "invoice": s_invoice,
         "staff-insurance": s_staff_insurance, "housing-fund": s_housing_fund, "loan": s_loan,
         "tax": s_tax, "property": s_property, "withdraw": s_withdraw,
         "health-check": s_health_check, "marriage": s_marriage, "birth-reg": s_birth_reg,
         "pension": s_pension, "medical-transfer": s_medical_transfer, "qualify": s_qualify}
# a one-thing list's head picture: its pictograms side by side on a card
HEADS = {"onething-baby.png": (i_birth, s_medical_certificate, s_ss_card),
         "onething-company.png": (i_business, s_licence, s_seal),
         "onething-home.png": (i_housing, s_loan, s_property),
         "onething-marriage.png": (s_health_check, i_marriage, s_hukou),
         "onething-retire.png": (i_retire, s_pension, s_qualify)}


def mask(fn):
    """the drawing as an alpha mask: grey+alpha, grey black, alpha the ink"""
    big = Image.new("L", (SIZE * SS, SIZE * SS), 0)
    fn(Pic(ImageDraw.Draw(big)).sub(4, 4, 0.92))  # a margin so round caps stay inside
    a = big.resize((SIZE, SIZE), Image.LANCZOS)
    out = Image.new("LA", (SIZE, SIZE), (0, 0))
    out.putalpha(a)
    return out


def head(fns):
    """an opaque head picture, 640 x 360: a pale card, the pictograms in blue"""
    w, h = 640, 360
    out = Image.new("RGB", (w, h), (233, 241, 251))
    d = ImageDraw.Draw(out)
    d.rounded_rectangle((12, 12, w - 12, h - 12), radius=28, outline=(34, 96, 176), width=6)
    blue = Image.new("RGB", (SIZE, SIZE), (20, 70, 140))
    for i, fn in enumerate(fns):
        a = mask(fn).getchannel("A").resize((176, 176), Image.LANCZOS)
        out.paste(blue.resize((176, 176)), (40 + i * 196, (h - 176) // 2), a)
    return out.quantize(colors=32, dither=Image.Dither.NONE)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: draw-pictograms.py REPO")
    repo = sys.argv[1]
    tiles = os.path.join(repo, "assets", "pictograms")
    images = os.path.join(repo, "assets", "content", "images")
    os.makedirs(tiles, exist_ok=True)
    for name, fn in TILES.items():
        mask(fn).save(os.path.join(tiles, name + ".png"), optimize=True)
    for name, fn in ICONS.items():
        mask(fn).save(os.path.join(images, "icon-" + name + ".png"), optimize=True)
    for name, fn in STEPS.items():
        mask(fn).save(os.path.join(images, "step-" + name + ".png"), optimize=True)
    for name, fns in HEADS.items():
        head(fns).save(os.path.join(images, name), optimize=True)


if __name__ == "__main__":
    main()
