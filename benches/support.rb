# frozen_string_literal: true

require "benchmark/ips"

# Shared helpers for the side-by-side benchmarks: each bench runs the gem and
# the incumbent in one process and prints a markdown table with ratios.
module BenchSupport
  module_function

  def quick?
    ENV["BENCH_QUICK"] == "1"
  end

  # Runs each block under benchmark-ips; returns {label => iterations/s}.
  def ips(entries)
    report = Benchmark.ips do |x|
      x.config(warmup: quick? ? 0.2 : 1, time: quick? ? 0.5 : 2, quiet: true)
      entries.each { |label, blk| x.report(label, &blk) }
      x.compare! if ENV["BENCH_VERBOSE"]
    end
    report.entries.to_h { |e| [e.label, e.ips] }
  end

  def human_rate(ips)
    return format("%.2fM/s", ips / 1e6) if ips >= 1e6
    return format("%.1fk/s", ips / 1e3) if ips >= 1e3

    format("%.1f/s", ips)
  end

  def micros(ips)
    format("%.2f us", 1e6 / ips)
  end

  # rows: [[scenario, ours_label, theirs_label, target_text]]
  def table(title, results, rows)
    puts "\n### #{title}\n\n"
    puts "| scenario | pipeline_guard | baseline | ratio | target |"
    puts "|---|---:|---:|---:|---|"
    rows.each do |scenario, ours, theirs, target|
      ratio = results.fetch(ours) / results.fetch(theirs)
      puts "| #{scenario} | #{human_rate(results[ours])} | #{theirs}: #{human_rate(results[theirs])} | " \
           "#{format('%.2fx', ratio)} | #{target} |"
    end
  end
end
