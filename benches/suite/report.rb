# frozen_string_literal: true

require "open3"
require "tmpdir"

# Turns one bin/bench run (machine, load averages, rows) into the Markdown
# table and the SVG plots (gnuplot, installed from Debian when missing).
class BenchReport
  CURVE_TITLES = {
    "acl_rules" => ["ACL rules in the policy set", "us per ACL#capabilities"],
    "jwks_keys" => ["keys in the JWKS (ES256, kid = last key)", "us per verify"],
    "rbac_memberships" => ["RBAC memberships", "us per can?"],
    "plaintext_bytes" => ["plaintext bytes", "us per AES-256-GCM round trip"],
    "batch_size" => ["items per call", "us per item"],
    "cel_login_batch" => ["tokens per JwtAuth#cel_login_many call", "us per token"],
    "threads" => ["Ruby threads sharing the work", "wall-clock us per call"]
  }.freeze

  def initialize(run, quick:)
    @run = run
    @quick = quick
    @rows = run[:rows]
  end

  def kind(name) = @rows.select { |r| r["kind"] == name }

  def markdown(plots)
    m = @run[:machine]
    out = +"# pipeline_guard benchmarks: #{@run[:started_at]} (#{@run[:mode]} run)\n\n"
    out << "#{m[:cpu]}, #{m[:cores]} cores; #{m[:kernel]}; #{m[:ruby]}; #{m[:openssl]}; #{m[:rustc]}; " \
           "pipeline_guard #{m[:pipeline_guard]} (#{m[:commit]}).\n"
    out << "Load average at start #{@run[:load_average_start].join(' / ')}, at end " \
           "#{@run[:load_average_end].join(' / ')} (1 / 5 / 15 min).\n"
    out << "\n**Quick run: tiny iteration counts, the numbers are not measurements.**\n" if @quick
    out << compare_table << split_table << absolute_table << curve_tables << memory_table << peak_rss_table
    out << criterion_table
    out << skip_list << plot_links(plots)
  end

  def plots(dir, stem)
    return [] unless gnuplot?

    curves = kind("curve").group_by { |r| r["curve"] }
    files = curves.map { |curve, rows| curve_plot(dir, "#{stem}-#{curve}.svg", curve, rows) }
    files << ratio_plot(dir, "#{stem}-ratios.svg") unless kind("compare").empty?
    files.compact
  end

  private

  def fmt_us(us)
    return format("%.3f us", us) if us < 10
    return format("%.1f us", us) if us < 10_000

    format("%.1f ms", us / 1000)
  end

  def verdict(row)
    return "" if @quick || row["met"].nil?

    row["met"] ? "met" : "**missed**"
  end

  def compare_table
    rows = kind("compare")
    return "" if rows.empty?

    out = +"\n## Side by side (one process per area; ratio = baseline time / pipeline_guard time)\n\n"
    out << "| area | scenario | pipeline_guard | baseline | ratio | target | |\n|---|---|---:|---|---:|---|---|\n"
    rows.each do |r|
      out << "| #{r['area']} | #{r['scenario']} | #{r['ours']}: #{fmt_us(r['ours_us'])} | " \
             "#{r['baseline']}: #{fmt_us(r['baseline_us'])} | #{format('%.2fx', r['ratio'])} | " \
             "#{r['target']} | #{verdict(r)} |\n"
    end
    out
  end

  def split_table
    rows = kind("split")
    return "" if rows.empty?

    out = +"\n## HS256 decode, cost split (each piece measured alone from Ruby)\n\n"
    out << "| piece | time | share of a pipeline_guard decode | share of a jwt gem decode |\n|---|---:|---:|---:|\n"
    rows.each do |r|
      out << "| #{r['scenario'].delete_prefix('HS256 cost split: ')} | #{fmt_us(r['us'])} | " \
             "#{(r['share_of_gem_decode'] * 100).round}% | #{(r['share_of_jwt_gem'] * 100).round}% |\n"
    end
    out
  end

  def absolute_table
    rows = kind("absolute") + kind("flat")
    return "" if rows.empty?

    out = +"\n## Absolute and flatness targets\n\n| check | result | target | |\n|---|---:|---|---|\n"
    rows.each do |r|
      text, result = if r["kind"] == "flat"
                       ["#{r['curve']}: #{r['series']}, #{r['from']} -> #{r['to']}", format("%.2fx", r["growth"])]
                     else
                       [r["scenario"], fmt_us(r["us"])]
                     end
      out << "| #{text} | #{result} | #{r['target']} | #{verdict(r)} |\n"
    end
    out
  end

  def curve_tables
    kind("curve").group_by { |r| r["curve"] }.map { |curve, rows| curve_table(curve, rows) }.join
  end

  def curve_table(curve, rows)
    xs = rows.map { |r| r["x"] }.uniq.sort
    xlabel, ylabel = CURVE_TITLES.fetch(curve, %w[x us])
    out = +"\n## #{curve}: #{ylabel} by #{xlabel}\n\n| series | #{xs.join(' | ')} |\n|---|#{'---:|' * xs.size}\n"
    rows.group_by { |r| r["series"] }.each do |series, points|
      by_x = points.to_h { |p| [p["x"], p["us"]] }
      out << "| #{series} | #{xs.map { |x| by_x[x] ? fmt_us(by_x[x]) : '' }.join(' | ')} |\n"
    end
    out
  end

  def memory_table
    rows = kind("memory")
    return "" if rows.empty?

    out = +"\n## Memory: growth over N calls (after a full GC, before vs after)\n\n"
    out << "| API | calls | RSS growth | live heap slots growth | RSS at start | time per call |\n"
    out << "|---|---:|---:|---:|---:|---:|\n"
    rows.each do |r|
      out << "| #{r['api']} | #{r['calls']} | #{r['rss_growth_kib']} KiB | #{r['heap_live_growth']} | " \
             "#{(r['rss_start_kib'] / 1024.0).round(1)} MiB | #{fmt_us(r['seconds'] * 1e6 / r['calls'])} |\n"
    end
    out
  end

  def peak_rss_table
    rows = kind("peak_rss")
    return "" if rows.empty?

    out = +"\n## Peak RSS of the example app process (VmHWM reset before each run)\n\n"
    out << "| scenario | RSS at start | peak RSS | peak over start |\n|---|---:|---:|---:|\n"
    rows.each do |r|
      out << "| #{r['scenario']} | #{(r['rss_start_kib'] / 1024.0).round(1)} MiB | " \
             "#{(r['peak_kib'] / 1024.0).round(1)} MiB | #{r['peak_kib'] - r['rss_start_kib']} KiB |\n"
    end
    out
  end

  def criterion_table
    rows = kind("criterion")
    return "" if rows.empty?

    out = +"\n## Core crate (criterion, no Ruby)\n\n| bench | mean |\n|---|---:|\n"
    rows.sort_by { |r| r["id"] }.each { |r| out << "| #{r['id']} | #{fmt_us(r['us'])} |\n" }
    out
  end

  def skip_list
    rows = kind("skip")
    return "" if rows.empty?

    "\n## Not measured in this run\n\n#{rows.map { |r| "- #{r['area']}: #{r['scenario']}: #{r['reason']}\n" }.join}"
  end

  def plot_links(plots)
    return "" if plots.empty?

    "\n## Plots\n\n#{plots.map { |f| "![#{File.basename(f, '.svg')}](#{File.basename(f)})\n" }.join}"
  end

  def gnuplot?
    return true if system("command -v gnuplot >/dev/null 2>&1")

    warn "bin/bench: gnuplot missing; installing gnuplot-nox (Debian) for the plots"
    sudo = Process.uid.zero? ? [] : ["sudo"]
    ok = system(*sudo, "apt-get", "install", "-y", "-qq", "gnuplot-nox", out: File::NULL) ||
         (system(*sudo, "apt-get", "update", "-qq") &&
          system(*sudo, "apt-get", "install", "-y", "-qq", "gnuplot-nox", out: File::NULL))
    warn "bin/bench: no gnuplot, plots skipped" unless ok
    ok
  end

  def gnuplot(script)
    out, status = Open3.capture2e("gnuplot", stdin_data: script)
    warn "bin/bench: gnuplot failed: #{out}" unless status.success?
    status.success?
  end

  def header(file, title, width, height)
    <<~GP
      set terminal svg size #{width},#{height} dynamic font "sans,12" background "white"
      set output "#{file}"
      set title "#{title}" noenhanced
      set key outside right top noenhanced
      set grid
      set datafile separator "\\t"
    GP
  end

  def curve_plot(dir, name, curve, rows)
    file = File.join(dir, name)
    xlabel, ylabel = CURVE_TITLES.fetch(curve, %w[x us])
    Dir.mktmpdir do |tmp|
      series = rows.group_by { |r| r["series"] }.each_with_index.map do |(label, points), i|
        data = File.join(tmp, "#{i}.dat")
        File.write(data, points.sort_by { |p| p["x"] }.map { |p| "#{p['x']}\t#{p['us']}\n" }.join)
        %("#{data}" using 1:2 with linespoints lw 2 pt 7 title "#{label.tr('"', "'")}")
      end
      script = header(file, "#{curve} (#{@run[:mode]} run, load #{@run[:load_average_start].first})", 900, 480)
      script << "set logscale xy\nset xlabel \"#{xlabel}\" noenhanced\nset ylabel \"#{ylabel}\" noenhanced\n"
      script << "plot #{series.join(', ')}\n"
      return gnuplot(script) ? file : nil
    end
  end

  def ratio_plot(dir, name)
    rows = kind("compare")
    file = File.join(dir, name)
    Dir.mktmpdir do |tmp|
      data = File.join(tmp, "ratios.dat")
      File.write(data, rows.each_with_index.map do |r, i|
        met = { true => 1, false => 0 }.fetch(@quick ? nil : r["met"], 2)
        "#{i}\t#{r['area']}: #{r['scenario']}\t#{r['ratio']}\t#{met}\n"
      end.join)
      title = "speed-up per scenario (#{@run[:mode]} run, load #{@run[:load_average_start].first})"
      script = header(file, title, 1400, 120 + (rows.size * 22))
      script << <<~GP
        set logscale x
        set xlabel "baseline time / pipeline_guard time (log scale)" noenhanced
        set yrange [-1:#{rows.size}] reverse
        set ytics nomirror font ",10" noenhanced
        set style fill solid 0.8
        set arrow from 1, graph 0 to 1, graph 1 nohead lw 2 lc rgb "black"
        set key bottom right inside
        plot "#{data}" using (sqrt($3)):1:(1):($3):($1-0.35):($1+0.35):ytic(2) with boxxyerror lc rgb "#4477aa" notitle, \\
             "#{data}" using ($4 == 0 ? sqrt($3) : 1/0):1:(1):($3):($1-0.35):($1+0.35) with boxxyerror lc rgb "#cc3311" title "target missed", \\
             "#{data}" using ($4 == 1 ? sqrt($3) : 1/0):1:(1):($3):($1-0.35):($1+0.35) with boxxyerror lc rgb "#228833" title "target met"
      GP
      return gnuplot(script) ? file : nil
    end
  end
end
