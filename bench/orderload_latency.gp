# Latency against throughput of bench/run.sh's open-loop runs.
#   gnuplot -e "data='plot.dat'; output='docs/orderload-latency.png'; max_rate=60000" \
#     bench/orderload_latency.gp
# Columns of `data`: rate, then median/min/max of p50, p99, p99.9 and the
# uncorrected p99, in milliseconds, and a label: the offered load as a
# percentage of the closed-loop maximum (see bench/orderload_report.py).
# max_rate: the closed-loop maximum, drawn as a vertical line.
set terminal pngcairo size 900,560 font "sans,10"
set output output
set title "orderd POST /orders/, open loop: latency against throughput"
set xlabel "throughput achieved (requests/s)"
set ylabel "latency (ms, log scale)"
set logscale y
set grid xtics ytics mytics
set key below
set xrange [0:max_rate * 1.05]
set arrow from max_rate, graph 0 to max_rate, graph 1 nohead dt 3 lc rgb "gray40"
set label "closed-loop max" at max_rate, graph 0.97 right offset -0.5, 0 tc rgb "gray40"
set format x "%.0f"
plot data using 1:5:6:7 with yerrorlines lw 2 pt 7 title "p99 (corrected)", \
     data using 1:8:9:10 with yerrorlines lw 2 pt 9 title "p99.9 (corrected)", \
     data using 1:2:3:4 with yerrorlines lw 2 pt 5 title "p50 (corrected)", \
     data using 1:11 with linespoints dt 2 lw 1 pt 6 title "p99 uncorrected (from the actual send)", \
     data using 1:5:14 with labels offset 0,-1.2 font ",9" tc rgb "gray30" \
       title "offered load, % of the closed-loop max"
