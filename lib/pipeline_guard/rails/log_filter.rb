# frozen_string_literal: true

require "logger"

module PipelineGuard
  module Rails
    # Keeps tokens, secret values and ciphertexts out of logs.
    #
    # * PARAMETERS go to `config.filter_parameters` (request parameters and
    #   `inspect` of records).
    # * A filter proc scrubs GraphQL query strings, whose inline arguments
    #   (`secret: "..."`) parameter-name filtering cannot see, and the GraphQL
    #   variables that feed sensitive arguments (`secret: $v` filters `v`).
    # * The formatter hook scrubs every log line: JWTs, `vault:v1:`
    #   ciphertexts, OpenBao and GitLab tokens, credential headers
    #   (`Authorization`, `X-Vault-Token`, `Private-Token`, `Job-Token`) in
    #   plain, Hash#inspect and JSON form, sensitive GraphQL arguments (quoted
    #   and block strings) and the variables bound to them.
    module LogFilter
      FILTERED = "[FILTERED]"
      PARAMETERS = %i[token jwt id_token secret password ciphertext private_key value].freeze
      SENSITIVE_ARGUMENTS = %w[secret value token jwt idToken id_token password].freeze

      JWT_PATTERN = /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/
      CIPHERTEXT_PATTERN = %r{\bvault:v\d+:[A-Za-z0-9+/=]+}
      # OpenBao service (`s.` + 24) and batch (`b.AAAAA...`) tokens, Vault's
      # `hvs.`/`hvb.`/`hvr.` forms and legacy `r.` recovery tokens.
      OPENBAO_TOKEN_PATTERN = /\bhv[sbr]\.[A-Za-z0-9_-]{20,}|\b[sr]\.[A-Za-z0-9]{24}\b|\bb\.AAAA[A-Za-z0-9_-]{20,}/
      # GitLab's documented token prefixes, plus legacy runner registration
      # tokens.
      GITLAB_TOKEN_PATTERN = /
        \bgl(?:pat|oas|dt|rt|rtr|cbt|ptt|ft|imt|agent|soat|tst|ffct|wt)-[0-9A-Za-z_.-]{6,}
        | \bGR1348941[0-9A-Za-z_-]{20,}
      /x
      CREDENTIAL_PATTERN = /\b(Bearer|X-Vault-Token:?)\s+[^\s",'\\]+/i
      # A credential header as a log line, Hash#inspect, JSON or Rack env
      # shows it; the value may carry a scheme (`Token glpat-...`), kept.
      HEADER_PATTERN = /
        (\b(?:HTTP_)?(?:X[-_]Vault[-_]Token|Private[-_]Token|Job[-_]Token|Authorization)
         (?>(?:\\?["'])?\s*(?:=>|:|=)\s*(?:\\?["'])?))
        (?>((?:Bearer|Token|Basic|Negotiate)\s+)?)
        (?!\[FILTERED\])[^\s"',}\]\\]+
      /ix
      # A GraphQL string value: block string, quoted string, or a quoted
      # string JSON-escaped inside a logged String (`\"...\"`). An
      # unterminated value (a truncated line) is filtered to its end.
      STRING_VALUE = /
        """(?:\\"""|(?!""")[\s\S])*(?:"""|\z)
        | \\"(?:[^"\\]|\\\\\\\\|\\\\\\"|\\[^"\\])*(?:\\"|\z)
        | "(?:[^"\\]|\\.)*(?:"|\z)
      /x
      ARGUMENT_PATTERN = /\b(#{SENSITIVE_ARGUMENTS.join('|')})(\s*:\s*)(?:#{STRING_VALUE})/
      # `"secret"=>"x"`, `"secret":"x"` and `\"secret\":\"x\"`.
      KEY_PATTERN = /((\\?)["'](?:#{SENSITIVE_ARGUMENTS.join('|')})\2["']\s*(?:=>|:)\s*)
                     (?:#{STRING_VALUE}|(?!\[FILTERED\])[^\s,}\]"\\]+)/x
      # Cheap pre-check: every filtered form contains one of these. Plain
      # `include?` calls and two small patterns: one Regexp alternation of
      # all of them costs several times more per clean line.
      LITERALS = %w[eyJ vault:v hv b.AAAA GR1348941 secret value jwt password].freeze
      CREDENTIAL_WORD = /oken|earer|uthorization/i
      SHORT_TOKEN = /\b[sr]\.[A-Za-z0-9]{24}\b/
      GITLAB_PREFIX = /\bgl[a-z]{1,6}-/

      @key_patterns = {}

      class << self
        # The text with every sensitive part replaced by [FILTERED].
        # `variables:` names GraphQL variables to filter besides those the
        # text itself binds to sensitive arguments.
        def scrub(text, variables: nil)
          return text unless text.is_a?(String)
          return text unless variables&.any? || might_contain_secret?(text)

          out = text.gsub(JWT_PATTERN, FILTERED)
                    .gsub(CIPHERTEXT_PATTERN, FILTERED)
                    .gsub(OPENBAO_TOKEN_PATTERN, FILTERED)
                    .gsub(GITLAB_TOKEN_PATTERN, FILTERED)
                    .gsub(CREDENTIAL_PATTERN) { "#{Regexp.last_match(1)} #{FILTERED}" }
                    .gsub(HEADER_PATTERN) { "#{Regexp.last_match(1)}#{Regexp.last_match(2)}#{FILTERED}" }
                    .gsub(ARGUMENT_PATTERN) { "#{Regexp.last_match(1)}#{Regexp.last_match(2)}\"#{FILTERED}\"" }
          scrub_keys(out, sensitive_variables(text) | Array(variables))
        end

        # The GraphQL variables a query binds to sensitive arguments
        # (`secret: $v` gives "v").
        def sensitive_variables(query)
          GraphqlVariables.in_query(query)
        end

        # A `filter_parameters` entry that scrubs parameter values in place
        # (Rails hands the proc a copy). It also filters GraphQL variables
        # whose query, elsewhere in the same parameters, binds them to a
        # sensitive argument.
        def parameter_filter
          lambda do |key, value, params = nil|
            return unless value.is_a?(String) && !value.frozen?

            variables = GraphqlVariables.in_params(params)
            filtered = variables.include?(key.to_s) ? FILTERED : scrub(value, variables:)
            value.replace(filtered) unless filtered.equal?(value)
          end
        end

        # Makes a logger scrub each message before formatting.
        def install(logger)
          return logger if logger.nil?

          logger.formatter ||= ::Logger::Formatter.new
          return logger if logger.formatter.singleton_class.include?(Formatter)

          logger.formatter.singleton_class.prepend(Formatter)
          logger
        end

        private

        def might_contain_secret?(text)
          LITERALS.each { |literal| return true if text.include?(literal) }
          text.match?(CREDENTIAL_WORD) || might_contain_token?(text)
        end

        def might_contain_token?(text)
          (text.include?("gl") && text.match?(GITLAB_PREFIX)) ||
            ((text.include?("s.") || text.include?("r.")) && text.match?(SHORT_TOKEN))
        end

        # Replaces the values of sensitive keys and of the named variables
        # in `"k"=>"x"`, `"k":"x"` and JSON-escaped `\"k\":\"x\"` forms.
        def scrub_keys(text, variables)
          pattern = variables.empty? ? KEY_PATTERN : key_pattern(SENSITIVE_ARGUMENTS + variables)
          text.gsub(pattern) { "#{Regexp.last_match(1)}\"#{FILTERED}\"" }
        end

        # Compiled once per set of variable names (a handful per schema).
        def key_pattern(names)
          @key_patterns.fetch(names) do
            key = names.map { |n| Regexp.escape(n) }.join("|")
            pattern = /((\\?)["'](?:#{key})\2["']\s*(?:=>|:)\s*)(?:#{STRING_VALUE}|(?!\[FILTERED\])[^\s,}\]"\\]+)/
            @key_patterns.clear if @key_patterns.size >= 256
            @key_patterns[names.dup.freeze] = pattern
          end
        end
      end
    end
  end
end

require_relative "log_filter/formatter"
require_relative "log_filter/graphql_variables"
