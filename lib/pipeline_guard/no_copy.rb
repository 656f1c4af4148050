# frozen_string_literal: true

module PipelineGuard
  # Objects holding key material (Keyring, the JWT keys, signers and
  # verifiers) refuse Marshal, dup and clone.
  module NoCopy
    def _dump(_level)
      raise TypeError, "#{self.class} cannot be marshalled (it holds key material)"
    end

    def marshal_dump
      raise TypeError, "#{self.class} cannot be marshalled (it holds key material)"
    end

    def initialize_copy(_other)
      raise TypeError, "#{self.class} cannot be copied"
    end
  end
end
