# frozen_string_literal: true

require "json"
require "open3"

module Fleet
  # An SVG next to a full run's JSON report (gnuplot, when installed): app
  # request latency p50/p99 before, during and after the leader kill, with
  # each phase's throughput under its name. Skipped without gnuplot; the
  # JSON report holds every number either way.
  module Plot
    PHASES = %w[before during after].freeze

    module_function

    def write(json_path)
      return nil unless system("command -v gnuplot >/dev/null 2>&1")

      report = JSON.parse(File.read(json_path))
      svg = json_path.sub(/\.json\z/, ".svg")
      _, err, status = Open3.capture3("gnuplot", stdin_data: script(report, svg))
      raise "gnuplot failed: #{err}" unless status.success?

      svg
    end

    def script(report, svg)
      rows = PHASES.map do |name|
        phase = report.dig("phases", name) || {}
        label = format("%<name>s\\n%<w>.2f writes/s\\n%<f>.2f fetches/s\\n%<x>d of %<n>d failed",
                       name:, w: phase["writes_per_s"].to_f, f: phase["fetches_per_s"].to_f,
                       n: phase["requests"].to_i, x: phase["failed"].to_i)
        %("#{label}" #{[phase['p50_ms'].to_f, 0.1].max} #{[phase['p99_ms'].to_f, 0.1].max})
      end
      <<~GNUPLOT
        set terminal svg size 900,520 dynamic font "sans,11"
        set output "#{svg}"
        set termoption noenhanced
        set bmargin 6
        set title "bin/fleet: #{report['summary'].to_s.sub(/\Afleet /, '').split.first(4).join(' ')}, failover #{report['failover_ms']} ms (load #{report.dig('machine', 'loadavg_start')&.first})"
        set style data histogram
        set style histogram clustered gap 1
        set style fill solid 0.8 border -1
        set logscale y
        set ylabel "app request latency (ms, log scale)"
        set grid ytics
        set key top left
        $data << EOD
        #{rows.join("\n")}
        EOD
        plot $data using 2:xtic(1) title "p50", '' using 3 title "p99"
      GNUPLOT
    end
  end
end
