# frozen_string_literal: true

module PipelineGuard
  module OpenBao
    # One OpenBao ACL policy, parsed from HCL (v1, as OpenBao reads it) or
    # JSON with the same accept/reject decisions and error text as OpenBao
    # 2.7.2. Immutable, frozen and shareable between threads and Ractors.
    #
    #   policy = PipelineGuard::OpenBao::Policy.parse(<<~HCL, name: "ci")
    #     path "secrets/kv/data/explicit/*" { capabilities = ["read"] }
    #   HCL
    #   policy.rules.first[:capabilities]  # => ["read"]
    class Policy
      class << self
        # Parses `text` (HCL, or JSON when it starts with `{`). Raises
        # PolicyError with OpenBao's message when OpenBao would refuse the
        # document, ::TypeError when `text` is not a String. Rules whose
        # `expiration` lies before `now` (a Time or Integer unix seconds;
        # default the current time) are dropped, as OpenBao drops them.
        def parse(text, name: "policy", now: nil)
          raise TypeError, "policy text must be a String, not #{text.class}" unless text.is_a?(String)
          raise TypeError, "policy name must be a String, not #{name.class}" unless name.is_a?(String)

          _parse(text, name, Policy.unix_time(now)).freeze
        end

        # nil, a Time or an Integer as unix seconds (Integer or nil).
        def unix_time(now)
          case now
          when nil then nil
          when Integer then now
          when Time then now.to_i
          else raise TypeError, "now must be a Time or Integer, not #{now.class}"
          end
        end
      end

      # Native: #name, #templated?, #rule_count, #paths (the rules' path
      # strings as written, in document order), #inspect.

      # Every rule as a Hash with Symbol keys, in document order: :path (as
      # written), :kind (:exact, :prefix or :segment), :capabilities (sorted
      # names; [] for an empty list), :templated, :allowed_parameters,
      # :denied_parameters (Hash of lower-cased name => Array of values, or
      # nil), :required_parameters, :min_wrapping_ttl_ns,
      # :max_wrapping_ttl_ns, :mfa_methods, :pagination_limit,
      # :list_scan_response_keys_filter_path and :expiration (a Time or nil).
      def rules
        _rules.each do |rule|
          rule[:expiration] = Time.at(rule[:expiration]).utc if rule[:expiration]
        end
      end

      def ==(other)
        other.is_a?(Policy) && other.name == name && other.rules == rules
      end
      alias eql? ==

      def hash
        [self.class, name, paths].hash
      end

      # Policies are immutable values: copies are the object itself.
      def dup = self
      def clone(freeze: true) = self # rubocop:disable Lint/UnusedMethodArgument

      def _dump(_level)
        raise TypeError, "PipelineGuard::OpenBao::Policy cannot be marshalled; keep and re-parse its text"
      end
    end
  end
end
