# A class III price-computing scale (电子计价秤), Max 15 kg, Min 100 g,
# e = d = 5 g, a sticky lever: repeated placings of the same load land
# apart, more so the heavier the load; each single error stays inside the
# MPE (R76-1 Table 6: +-2.5 g to 2 500 g, +-5 g to 10 kg, +-7.5 g to
# 15 kg), but two results of a series differ by more than it (3.6.1).
max = 15kg
d = 5g
test_d = 0.5g          # the test mode shows 0.5 g (<= 0.2 e: read directly)
mode = test
seed = 14
error = 0:0
segment_load = 5kg
spread = 2.8g          # +-2.8 g at 7.5 kg (MPE 5 g), +-5.6 g at 15 kg (MPE 7.5 g)
spread_load = 7.5kg
