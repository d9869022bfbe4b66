namespace AgentAspire.Agents;

/// <summary>An agent's input is not acceptable; the message is written for the client that sent it.</summary>
/// <param name="message">What is wrong with the input, in words a client can act on.</param>
public sealed class AgentInputException(string message) : Exception(message);
