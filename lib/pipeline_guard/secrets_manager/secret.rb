# frozen_string_literal: true

module PipelineGuard
  module SecretsManager
    # A secret's attributes (never its value), validated on creation:
    # name `[A-Za-z0-9_]{1,255}`; environment and branch scopes `*`, a
    # literal, or a glob such as `review/*`; protected secrets reach only
    # jobs on protected refs. Immutable and shareable.
    # `Secret.new(name:, environment: "*", branch: "*", protected: false,
    # description: nil)` is native: it takes its keywords itself.
    class Secret
      def to_h
        { name:, environment:, branch:, protected: protected?, description: }
      end

      def ==(other)
        other.is_a?(Secret) && to_h == other.to_h
      end
      alias eql? ==

      def hash
        to_h.hash
      end

      def inspect
        "#<#{self.class} name=#{name.inspect} environment=#{environment.inspect} " \
          "branch=#{branch.inspect} protected=#{protected?}>"
      end
      alias to_s inspect
    end
  end
end
