# frozen_string_literal: true

RSpec.describe PipelineGuard::Keyring do
  subject(:keyring) { described_class.generate }

  let(:derived) { described_class.generate(derived: true) }
  let(:convergent) { described_class.generate(derived: true, convergent: true) }

  describe "round trips" do
    it "encrypts to OpenBao's format and back", :gc_stress do
      ct = keyring.encrypt("s3cret")
      expect(ct).to match(%r{\Avault:v1:[A-Za-z0-9+/]+=*\z})
      expect(Base64.strict_decode64(ct.split(":").last).bytesize).to eq(12 + 6 + 16)
      expect(keyring.decrypt(ct)).to eq("s3cret".b)
      expect(keyring.decrypt(ct).encoding).to eq(Encoding::BINARY)
      expect(keyring.decrypt_str(ct)).to eq("s3cret")
    end

    it "keeps UTF-8 and binary bytes exact" do
      text = "pässwörd ✓"
      expect(keyring.decrypt_str(keyring.encrypt(text))).to eq(text)
      bytes = (0..255).map(&:chr).join.b
      expect(keyring.decrypt(keyring.encrypt(bytes))).to eq(bytes)
    end

    it "handles empty and multi-megabyte plaintexts" do
      expect(keyring.decrypt(keyring.encrypt(""))).to eq("")
      big = Random.new(1).bytes(3 * 1024 * 1024)
      expect(keyring.decrypt(keyring.encrypt(big))).to eq(big)
    end

    it "uses a fresh nonce each time unless convergent" do
      expect(keyring.encrypt("same")).not_to eq(keyring.encrypt("same"))
      expect(convergent.encrypt("same", context: "c")).to eq(convergent.encrypt("same", context: "c"))
      expect(convergent.encrypt("same", context: "c")).not_to eq(convergent.encrypt("same", context: "d"))
    end
  end

  describe "context and associated data" do
    it "requires a context for derived keys and binds the ciphertext to it" do
      ct = derived.encrypt("v", context: "project-1")
      expect(derived.decrypt(ct, context: "project-1")).to eq("v")
      expect { derived.decrypt(ct, context: "project-2") }
        .to raise_error(PipelineGuard::DecryptionError, "cipher: message authentication failed")
      expect { derived.decrypt(ct) }.to raise_error(PipelineGuard::DecryptionError, /missing 'context'/)
      expect { derived.encrypt("v") }.to raise_error(PipelineGuard::InvalidInput, /missing 'context'/)
    end

    it "re-binds a value to new associated data with rewrap" do
      ct = keyring.encrypt("v", associated_data: "old-binding")
      moved = keyring.rewrap(ct, associated_data: "old-binding", new_associated_data: "new-binding")
      expect(keyring.decrypt(moved, associated_data: "new-binding")).to eq("v")
      expect { keyring.decrypt(moved, associated_data: "old-binding") }.to raise_error(PipelineGuard::DecryptionError)
      expect(keyring.decrypt(keyring.rewrap(ct, associated_data: "old-binding"), associated_data: "old-binding"))
        .to eq("v")
    end

    it "ignores a context on non-derived keys, as OpenBao does" do
      expect(keyring.decrypt(keyring.encrypt("v", context: "a"), context: "b")).to eq("v")
    end

    it "authenticates associated data" do
      ct = keyring.encrypt("v", associated_data: "record:42")
      expect(keyring.decrypt(ct, associated_data: "record:42")).to eq("v")
      expect { keyring.decrypt(ct, associated_data: "record:43") }.to raise_error(PipelineGuard::DecryptionError)
      expect { keyring.decrypt(ct) }.to raise_error(PipelineGuard::DecryptionError)
    end

    describe "on convergent keyrings" do
      let(:key) { { "keys" => { "1" => Base64.strict_encode64("c" * 32) } } }
      let(:compatible) do
        described_class.from_transit_export(key, derived: true, convergent: true,
                                                 openbao_compatible_convergent_aad: true)
      end
      let(:strict) { described_class.from_transit_export(key, derived: true, convergent: true) }

      # The nonce is HMAC(plaintext) only: one plaintext under two associated
      # data values would reuse a GCM nonce with two tags.
      it "refuses to encrypt or rewrap with associated data, and says why" do
        expect { convergent.encrypt("same", context: "c", associated_data: "table-a") }
          .to raise_error(PipelineGuard::InvalidInput, /reuse a GCM nonce.*openbao_compatible_convergent_aad: true/)
        ct = convergent.encrypt("same", context: "c")
        expect { convergent.rewrap(ct, context: "c", associated_data: "x") }
          .to raise_error(PipelineGuard::InvalidInput, /convergent/)
        expect(convergent.encrypt("same", context: "c", associated_data: "")).to eq(ct)
        expect(convergent.openbao_compatible_convergent_aad?).to be(false)
      end

      it "allows it when opted in for OpenBao compatibility, and always decrypts it" do
        expect(compatible.openbao_compatible_convergent_aad?).to be(true)
        a = compatible.encrypt("same", context: "c", associated_data: "table-a")
        b = compatible.encrypt("same", context: "c", associated_data: "table-b")
        nonce = ->(ct) { Base64.strict_decode64(ct.split(":", 3).last)[0, 12] }
        expect(nonce.call(a)).to eq(nonce.call(b)) # what OpenBao does
        expect(strict.decrypt(a, context: "c", associated_data: "table-a")).to eq("same")
        expect(compatible.rewrap(a, context: "c", associated_data: "table-a")).to eq(a)
      end
    end

    it "refuses convergent encryption without derivation" do
      expect { described_class.generate(convergent: true) }
        .to raise_error(PipelineGuard::InvalidInput, /requires derivation/)
    end
  end

  describe "versions" do
    it "rotates, rewraps and enforces min_decryption_version" do
      old = keyring.encrypt("v")
      expect(keyring.rotate!).to eq(2)
      expect(keyring.latest_version).to eq(2)
      expect(keyring.encrypt("v")).to start_with("vault:v2:")
      rewrapped = keyring.rewrap(old)
      expect(rewrapped).to start_with("vault:v2:")
      expect(keyring.decrypt(old)).to eq("v")
      keyring.min_decryption_version = 2
      expect(keyring.min_decryption_version).to eq(2)
      expect { keyring.decrypt(old) }
        .to raise_error(PipelineGuard::DecryptionError,
                        "ciphertext or signature version is disallowed by policy (too old)")
      expect(keyring.decrypt(rewrapped)).to eq("v")
      expect { keyring.min_decryption_version = 3 }.to raise_error(PipelineGuard::InvalidInput)
      expect { keyring.min_decryption_version = 0 }.to raise_error(PipelineGuard::InvalidInput)
      expect { keyring.min_decryption_version = "2" }.to raise_error(TypeError)
    end

    it "refuses to rotate past the last version instead of wrapping to v0" do
      kr = described_class.from_transit_export({ "keys" => { ((2**32) - 1).to_s => Base64.strict_encode64("m" * 32) } })
      expect(kr.latest_version).to eq((2**32) - 1)
      expect { kr.rotate! }.to raise_error(PipelineGuard::InvalidInput, /last key version/)
      expect(kr.latest_version).to eq((2**32) - 1)
      expect(kr.decrypt(kr.encrypt("v"))).to eq("v")
    end

    it "refuses export versions that are out of range or not canonical" do
      k = Base64.strict_encode64("k" * 32)
      %w[4294967296 99999999999999999999 -1 +1 01 0].each do |v|
        expect { described_class.from_transit_export({ "keys" => { v => k } }) }
          .to raise_error(PipelineGuard::InvalidKeyError), v
      end
      twice = { "keys" => { "1" => k, "01" => Base64.strict_encode64("j" * 32) } }
      expect { described_class.from_transit_export(twice) }.to raise_error(PipelineGuard::InvalidKeyError)
    end

    it "reports versions newer than the keyring" do
      ct = keyring.encrypt("v").sub("vault:v1:", "vault:v9:")
      expect do
        keyring.decrypt(ct)
      end.to raise_error(PipelineGuard::DecryptionError, "invalid ciphertext: version is too new")
    end
  end

  describe "bad input" do
    let(:ct) { keyring.encrypt("hello world") }

    {
      "garbage" => "not a ciphertext",
      "empty" => "",
      "no body" => "vault:v1",
      "empty body" => "vault:v1:",
      "bad base64" => "vault:v1:@@@@",
      "unpadded base64" => "vault:v1:AAAAAAAAAAAAAAAAAA",
      "non-numeric version" => "vault:vx:AAAA",
      "huge version" => "vault:v99999999999999999999:AAAA",
      "invalid UTF-8" => "vault:v1:\xff\xfe".b
    }.each do |name, input|
      it "raises DecryptionError for #{name}" do
        expect { keyring.decrypt(input) }.to raise_error(PipelineGuard::DecryptionError)
      end
    end

    it "raises DecryptionError for truncated and tampered ciphertexts" do
      raw = Base64.strict_decode64(ct.split(":", 3).last)
      [raw[0, 11], raw[0, 20], raw[0..-2], "#{raw}x", raw.dup.tap do |r|
                                                        r.setbyte(13, r.getbyte(13) ^ 1)
                                                      end].each do |bad|
        expect { keyring.decrypt("vault:v1:#{Base64.strict_encode64(bad)}") }
          .to raise_error(PipelineGuard::DecryptionError)
      end
    end

    it "raises DecryptionError for another keyring's ciphertext" do
      expect { described_class.generate.decrypt(ct) }.to raise_error(PipelineGuard::DecryptionError)
    end

    it "raises TypeError for non-String arguments", :gc_stress do
      expect { keyring.encrypt(nil) }.to raise_error(TypeError)
      expect { keyring.encrypt(42) }.to raise_error(TypeError)
      expect { keyring.decrypt(:sym) }.to raise_error(TypeError)
      expect { keyring.encrypt("x", context: 1) }.to raise_error(TypeError)
      expect { keyring.encrypt_many(["a", 1]) }.to raise_error(TypeError)
      expect { keyring.encrypt_many("a") }.to raise_error(TypeError)
    end

    it "rejects bad transit exports with InvalidKeyError" do
      [
        "{", {}, { "keys" => {} }, { "keys" => { "1" => "AAAA" } }, { "keys" => { "1" => "!!" } },
        { "keys" => { "x" => Base64.strict_encode64("k" * 32) } },
        { "type" => "rsa-2048", "keys" => { "1" => Base64.strict_encode64("k" * 32) } }
      ].each do |bad|
        expect { described_class.from_transit_export(bad) }.to raise_error(PipelineGuard::InvalidKeyError)
      end
    end
  end

  describe "secrecy" do
    let(:raw_key) { "K" * 32 }
    let(:imported) { described_class.from_transit_export({ "keys" => { "1" => Base64.strict_encode64(raw_key) } }) }

    it "never shows key bytes in inspect, to_s or errors" do
      shown = [imported.inspect, imported.to_s]
      begin
        imported.decrypt("vault:v1:#{Base64.strict_encode64('x' * 40)}")
      rescue PipelineGuard::DecryptionError => e
        shown << e.message << e.full_message
      end
      shown.each do |s|
        expect(s).not_to include(raw_key)
        expect(s).not_to include(Base64.strict_encode64(raw_key))
      end
      expect(imported.inspect).to eq(
        "#<PipelineGuard::Keyring latest_version=1 min_decryption_version=1 derived=false convergent=false>"
      )
    end

    it "cannot be marshalled or copied" do
      expect { Marshal.dump(imported) }.to raise_error(TypeError, /cannot be marshalled/)
      expect { imported.dup }.to raise_error(TypeError)
      expect { imported.clone }.to raise_error(TypeError)
    end

    it "exports only on explicit request, in OpenBao's shape" do
      export = imported.export_transit(name: "k")
      expect(export).to eq("name" => "k", "type" => "aes256-gcm96",
                           "keys" => { "1" => Base64.strict_encode64(raw_key) })
    end
  end

  describe "batches" do
    it "encrypts and decrypts many in order and names the failing item" do
      plaintexts = Array.new(1000) { |i| "secret-#{i}" }
      cts = keyring.encrypt_many(plaintexts)
      expect(cts.size).to eq(1000)
      expect(keyring.decrypt_many(cts)).to eq(plaintexts.map(&:b))
      cts[7] = "vault:v1:broken"
      expect { keyring.decrypt_many(cts) }.to raise_error(PipelineGuard::DecryptionError, /\Aitem 7: /)
    end

    it "keeps batch results alive across allocations", :gc_stress do
      plaintexts = Array.new(20) { |i| "v#{i}" }
      cts = keyring.encrypt_many(plaintexts)
      expect(keyring.decrypt_many(cts)).to eq(plaintexts.map(&:b))
    end

    it "uses the context for every item" do
      cts = derived.encrypt_many(%w[a b], context: "ctx")
      expect(cts.map { |c| derived.decrypt(c, context: "ctx") }).to eq(%w[a b])
    end
  end

  describe "concurrency" do
    it "serves many threads while rotating" do
      errors = Queue.new
      threads = Array.new(8) do |t|
        Thread.new do
          200.times do |i|
            msg = "t#{t}-#{i}"
            errors << msg unless keyring.decrypt(keyring.encrypt(msg)) == msg
            keyring.decrypt_many(keyring.encrypt_many([msg] * 100)) if (i % 50).zero?
          end
        end
      end
      3.times { keyring.rotate! }
      threads.each(&:join)
      expect(errors).to be_empty
      expect(keyring.latest_version).to eq(4)
    end

    it "works in a forked child after the parent used the parallel batch API" do
      skip "fork unavailable" unless Process.respond_to?(:fork)
      keyring.decrypt_many(keyring.encrypt_many(Array.new(500, &:to_s)))
      reader, writer = IO.pipe
      pid = fork do
        reader.close
        out = keyring.decrypt_many(keyring.encrypt_many(Array.new(500, &:to_s)))
        writer.write(out == Array.new(500) { |i| i.to_s.b } ? "ok" : "mismatch")
        writer.close
        exit!(0)
      end
      writer.close
      _, status = Process.wait2(pid)
      expect(status.exitstatus).to eq(0)
      expect(reader.read).to eq("ok")
    end

    it "never repeats a nonce across fork" do
      skip "fork unavailable" unless Process.respond_to?(:fork)
      nonce = ->(ct) { Base64.strict_decode64(ct.split(":", 3).last)[0, 12] }
      keyring.encrypt("warm up the nonce stream in this thread")
      reader, writer = IO.pipe
      pid = fork do
        reader.close
        writer.write(nonce.call(keyring.encrypt("same")))
        writer.close
        exit!(0)
      end
      writer.close
      parent_nonce = nonce.call(keyring.encrypt("same"))
      Process.wait(pid)
      child_nonce = reader.read.b
      expect(child_nonce.bytesize).to eq(12)
      expect(child_nonce).not_to eq(parent_nonce)
    end

    it "survives GC.compact between calls" do
      skip "GC.compact or fork unavailable" unless GC.respond_to?(:compact) && Process.respond_to?(:fork)
      # In a child: other C extensions loaded by the suite (Debian's rbs)
      # are not compaction-safe, and a compaction here would move their
      # objects for the rest of the run.
      reader, writer = IO.pipe
      pid = fork do
        reader.close
        cts = Array.new(50) { |i| keyring.encrypt("v#{i}") }
        GC.compact
        ok = cts.each_with_index.all? { |c, i| keyring.decrypt(c) == "v#{i}" }
        kr2 = described_class.generate
        GC.compact
        ok &&= kr2.decrypt(kr2.encrypt("after")) == "after"
        writer.write(ok ? "ok" : "mismatch")
        writer.close
        exit!(0)
      end
      writer.close
      Process.wait(pid)
      expect(reader.read).to eq("ok")
    end
  end

  describe "recorded OpenBao 2.7.2 transit cases" do
    it "gives OpenBao's verdict and error text for every recorded ciphertext" do
      doc = load_vectors("openbao/transit_cases.json")
      keyrings = doc["keys"].to_h do |name, spec|
        kr = described_class.from_transit_export(spec, derived: spec["derived"],
                                                       convergent: spec["convergent_encryption"])
        kr.min_decryption_version = spec["min_decryption_version"]
        [name, kr]
      end
      decode = ->(v) { v && Base64.strict_decode64(v) }
      doc["ciphertexts"].each do |c|
        kr = keyrings.fetch(c["key"])
        args = { context: decode.call(c["context_b64"]), associated_data: decode.call(c["associated_data_b64"]) }
        if c["decrypts"]
          expect(kr.decrypt(c["ciphertext"], **args)).to eq(decode.call(c["plaintext_b64"])), c["note"]
        else
          expect { kr.decrypt(c["ciphertext"], **args) }.to raise_error(PipelineGuard::DecryptionError, c["error"])
        end
      end
      expect(doc["ciphertexts"].size).to eq(177)
    end
  end
end
