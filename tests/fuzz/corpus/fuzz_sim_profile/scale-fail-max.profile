# A class III price-computing scale (电子计价秤), Max 15 kg, Min 100 g,
# e = d = 5 g, its span drifted: at Max it reads 9.5 g heavy
# (R76-1 Table 6: +-2.5 g to 2 500 g, +-5 g to 10 kg, +-7.5 g to 15 kg).
max = 15kg
d = 5g
test_d = 0.5g          # the test mode shows 0.5 g (<= 0.2 e: read directly)
mode = test
seed = 12
error = 0:0 2500g:+0.5g 10kg:+2g 15kg:+9.5g   # beyond +7.5 g above about 14 kg
segment_load = 5kg
segment.1 = +1.5g
segment.2 = -1g
segment.3 = +1g
segment.4 = -1.5g
spread = 0.5g
