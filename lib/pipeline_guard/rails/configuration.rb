# frozen_string_literal: true

module PipelineGuard
  module Rails
    # `config.pipeline_guard` in a Rails app.
    #
    # Keyring sources, first match wins:
    # 1. `keyring` — a PipelineGuard::Keyring you built yourself;
    # 2. `transit_key` — export that transit key from OpenBao
    #    (`openbao_address`/`openbao_token`, default BAO_ADDR/BAO_TOKEN; mount
    #    `transit_mount`, default "transit"; the key must be `exportable`);
    # 3. Rails credentials: `pipeline_guard: { keyring: <transit export> }`
    #    (the export as JSON or a Hash, as `Keyring.from_transit_export` takes);
    # 4. `generate_keyring` — a fresh in-memory keyring (development and
    #    tests only: data encrypted with it is lost on restart).
    class Configuration
      attr_accessor :keyring, :transit_key, :transit_mount, :openbao_address, :openbao_token, :openbao_namespace,
                    :credentials, :derived, :convergent, :openbao_compatible_convergent_aad, :generate_keyring,
                    :instrument, :filter_logs, :filter_parameters

      def initialize
        @transit_mount = "transit"
        @derived = false
        @convergent = false
        @openbao_compatible_convergent_aad = false
        @generate_keyring = false
        @instrument = true
        @filter_logs = true
        @filter_parameters = LogFilter::PARAMETERS.dup
      end

      # Builds the keyring from the configured source.
      def load_keyring
        return keyring if keyring
        return keyring_from_transit if transit_key

        export = credentials_export
        return Keyring.from_transit_export(export, **keyring_options) if export
        return Keyring.generate(**keyring_options) if generate_keyring

        raise InvalidKeyError, "no keyring configured: set config.pipeline_guard.keyring, .transit_key, " \
                               "credentials pipeline_guard.keyring, or .generate_keyring = true (not in production)"
      end

      def inspect
        "#<#{self.class} transit_key=#{transit_key.inspect} keyring=#{keyring ? 'set' : 'unset'}>"
      end

      private

      def keyring_from_transit
        client = OpenBao::Client.new(address: openbao_address || ENV.fetch("BAO_ADDR"),
                                     token: openbao_token || ENV.fetch("BAO_TOKEN", nil),
                                     namespace: openbao_namespace)
        export = client.get("#{transit_mount}/export/encryption-key/#{transit_key}")
        Keyring.from_transit_export(export, **keyring_options)
      end

      def keyring_options
        { derived:, convergent:, openbao_compatible_convergent_aad: }
      end

      def credentials_export
        creds = credentials
        return nil unless creds

        section = creds.respond_to?(:[]) ? creds[:pipeline_guard] : nil
        return nil unless section

        section[:keyring] || section["keyring"]
      end
    end
  end
end
