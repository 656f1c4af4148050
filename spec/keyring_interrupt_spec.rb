# frozen_string_literal: true

require "etc"
require "timeout"

# Work that runs without the GVL must return to Rust before a Thread#raise
# or Timeout is delivered, so the buffers it owns are freed (and wiped),
# and the interrupt must still arrive right after the call.
RSpec.describe PipelineGuard::Keyring, "interrupted GVL-free calls" do
  let(:keyring) { described_class.generate }
  let(:interrupt) { Class.new(StandardError) }
  # 64 x 64 KiB = 4 MiB per call.
  let(:batch) { Array.new(64) { |i| (i % 256).chr * 65_536 } }

  def rss_mib
    File.read("/proc/self/statm").split[1].to_i * Etc.sysconf(Etc::SC_PAGESIZE) / 1_048_576.0
  end

  def rss_growth
    GC.start
    before = rss_mib
    yield
    GC.start
    rss_mib - before
  end

  # Calls encrypt_many `calls` times while another thread raises
  # `interrupt` into this one during each call (the raiser can only take
  # the GVL once the call released it). Returns how many were interrupted.
  def interrupted_calls(calls, interrupt)
    victim = Thread.current
    started = Queue.new
    raiser = Thread.new do
      loop do
        started.pop
        victim.raise(interrupt)
      end
    end
    count = 0
    calls.times do
      started << true
      keyring.encrypt_many(batch)
      sleep 0.05 # the raise is pending by now; it lands here at the latest
    rescue interrupt
      count += 1
    end
    count
  ensure
    raiser&.kill&.join
  end

  # Runs the block in a forked child (a fresh heap, and leaked memory does
  # not stay in the suite's process) and returns what it returned.
  def in_child
    reader, writer = IO.pipe
    pid = fork do
      reader.close
      writer.write(Marshal.dump(yield))
      writer.close
      exit!(0)
    end
    writer.close
    result = Marshal.load(reader.read) # rubocop:disable Security/MarshalLoad
    Process.wait(pid)
    result
  end

  it "frees the batch buffers of interrupted encrypt_many calls" do
    skip "needs fork and /proc" unless Process.respond_to?(:fork) && File.exist?("/proc/self/statm")
    calls = 40
    err = interrupt
    control = in_child { rss_growth { calls.times { keyring.encrypt_many(batch) } } }
    growth, interrupted = in_child do
      count = 0
      [rss_growth { count = interrupted_calls(calls, err) }, count]
    end
    expect(interrupted).to eq(calls)
    # Each leaked call would keep ~10 MiB (the 4 MiB packed input and the
    # ~5.5 MiB of ciphertexts): 40 calls would add ~400 MiB.
    expect(growth).to be < control + 64, "RSS grew #{growth.round} MiB (control #{control.round} MiB)"
  end

  it "delivers Thread#raise right after the call returns, and the call completes" do
    victim = Thread.current
    started = Queue.new
    raiser = Thread.new do
      started.pop
      victim.raise(interrupt, "stop")
    end
    reached = false
    expect do
      started << true
      keyring.encrypt_many(batch)
      reached = true
    end.to raise_error(interrupt, "stop")
    expect(reached).to be(false)
    raiser.join
  end

  it "lets Timeout fire during a long batch" do
    big = Array.new(8) { batch }.flatten # 32 MiB
    expect { Timeout.timeout(0.001) { 3.times { keyring.encrypt_many(big) } } }.to raise_error(Timeout::Error)
  end

  it "runs the call even when an interrupt is already pending but deferred" do
    out = nil
    expect do
      Thread.handle_interrupt(interrupt => :never) do
        Thread.current.raise(interrupt, "deferred")
        out = keyring.decrypt_many(keyring.encrypt_many(%w[a b c]))
        big = keyring.encrypt("x" * (512 * 1024))
        out << keyring.decrypt(big).bytesize.to_s
      end
    end.to raise_error(interrupt, "deferred")
    expect(out).to eq(%w[a b c 524288])
  end
end
